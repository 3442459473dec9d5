import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cadence, repoRoot, tempDir } from './helpers/cli.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});
function temp(): string {
  const { dir, remove } = tempDir();
  cleanups.push(remove);
  return dir;
}

describe('the cadence binary', () => {
  it('prints its version', async () => {
    const result = await cadence(['--version']);
    const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string };
    expect(result.exitCode).toBe(0);
    expect(result.stdout.trim()).toBe(manifest.version);
  });

  it.each(['validate', 'init', 'demo', 'import', 'leads', 'leads list', 'leads show', 'leads set', 'leads forget', 'export', 'suppress', 'unsuppress', 'simulate', 'enroll', 'pause', 'resume', 'unenroll', 'tick', 'sync', 'task done', 'log', 'status', 'backup', 'run', 'cron', 'tasks', 'task skip', 'task snooze', 'resolve', 'diff', 'plan'])('has --help with a worked example for %s', async (command) => {
    const result = await cadence([...command.split(' '), '--help']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain(`Usage: cadence ${command}`);
    expect(result.stdout).toMatch(/Examples?:\n\s+\$ (npx )?cadence /);
  });

  it('exits 2 on an unknown command or option, without a stack trace', async () => {
    const unknownCommand = await cadence(['frobnicate']);
    expect(unknownCommand.exitCode).toBe(2);
    expect(unknownCommand.stderr).toContain("unknown command 'frobnicate'");
    const badChoice = await cadence(['validate', '--format', 'xml']);
    expect(badChoice.exitCode).toBe(2);
    expect(badChoice.stderr).toContain('--format');
    expect(badChoice.stderr).not.toMatch(/\n\s+at /);
  });

  it('prints an expected error as JSON on stdout when --json was asked for', async () => {
    const dir = temp();
    const result = await cadence(['validate', '--json'], { cwd: dir });
    expect(result.exitCode).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ error: { code: 'WORKSPACE_NOT_FOUND' } });
  });

  it('says where to go when there is no workspace', async () => {
    const dir = temp();
    const result = await cadence(['validate'], { cwd: dir });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('error WORKSPACE_NOT_FOUND');
    expect(result.stderr).toContain('hint: ');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('cadence validate on the repository', () => {
  it('accepts the starter library with exit 0', async () => {
    const result = await cadence(['validate']);
    expect(result.stdout).toMatch(/^valid: 18 sequences, \d+ templates, \d+ triggers/m);
    expect(result.exitCode).toBe(0);
  });

  it('prints JSON with --json', async () => {
    const result = await cadence(['validate', '--json']);
    const report = JSON.parse(result.stdout) as { valid: boolean; errors: number; files: { sequences: number } };
    expect(report.valid).toBe(true);
    expect(report.errors).toBe(0);
    expect(report.files.sequences).toBe(18);
  });
});

describe('cadence validate on a broken workspace', () => {
  async function broken(): Promise<string> {
    const dir = join(temp(), 'ws');
    cpSync(join(repoRoot, 'test/fixtures/base'), dir, { recursive: true });
    writeFileSync(
      join(dir, 'sequences/welcome.yaml'),
      readFileSync(join(dir, 'sequences/welcome.yaml'), 'utf8').replace('template: call-script', 'template: cal-script'),
    );
    writeFileSync(join(dir, 'templates/broken.yaml'), 'channel: email\nsubject: [unclosed\n');
    return dir;
  }

  it('lists every problem with position, code and hint, and exits 1', async () => {
    const dir = await broken();
    const result = await cadence(['validate', '-C', dir]);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain(`error SEQ_UNKNOWN_TEMPLATE  ${relative(repoRoot, join(dir, 'sequences/welcome.yaml'))}:18:15`);
    expect(result.stdout).toContain('hint: did you mean "call-script"? (templates/call-script.yaml)');
    expect(result.stdout).toMatch(/error YAML_SYNTAX {2}\S*templates\/broken\.yaml:3:1/);
    expect(result.stdout).toMatch(/^invalid: 2 errors/m);
    expect(result.stderr).toBe('');
  });

  it('prints GitHub annotations with --format github', async () => {
    const dir = await broken();
    const result = await cadence(['validate', '--format', 'github'], { cwd: dir });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain('::error file=sequences/welcome.yaml,line=18,col=15,title=SEQ_UNKNOWN_TEMPLATE::step "call" uses template "cal-script"');
  });

  it('finds the workspace from a subfolder', async () => {
    const dir = await broken();
    const result = await cadence(['validate', '--json'], { cwd: join(dir, 'sequences') });
    const report = JSON.parse(result.stdout) as { errors: number; root: string };
    expect(report.errors).toBe(2);
    expect(report.root).toBe(dir);
  });
});

describe('cadence init', () => {
  it.each(['en', 'ja'] as const)('scaffolds a valid %s workspace', async (language) => {
    const dir = join(temp(), 'sales');
    const init = await cadence(['init', dir, '--lang', language]);
    expect(init.exitCode).toBe(0);
    const config = readFileSync(join(dir, 'cadence.yaml'), 'utf8');
    expect(config).toMatch(/^transport: outbox$/m);
    expect(config).toContain(language === 'ja' ? 'timezone: Asia/Tokyo' : 'timezone: America/New_York');
    expect(config).toMatch(language === 'ja' ? /holidays: JP/ : /holidays: US/);
    expect(readFileSync(join(dir, '.gitignore'), 'utf8')).toMatch(/^\.cadence\/$/m);
    const workflow = readFileSync(join(dir, '.github/workflows/cadence.yml'), 'utf8');
    expect(workflow).toContain('validate --format github');
    const sequences = readdirSync(join(dir, 'sequences'));
    expect(sequences.length).toBe(9);
    expect(sequences.every((name) => name.endsWith('-ja.yaml') === (language === 'ja'))).toBe(true);
    expect(existsSync(join(dir, 'schemas/sequence.schema.json'))).toBe(true);

    const validate = await cadence(['validate'], { cwd: dir });
    expect(validate.stdout).toMatch(/^valid: 9 sequences/m);
    expect(validate.exitCode).toBe(0);
  });

  it('refuses to overwrite an existing workspace', async () => {
    const dir = temp();
    expect((await cadence(['init', dir])).exitCode).toBe(0);
    const again = await cadence(['init', dir]);
    expect(again.exitCode).toBe(1);
    expect(again.stderr).toContain('error INIT_EXISTS');
  });
});

describe('cadence demo', () => {
  it('builds a workspace, validates it, lists the sequences and imports the sample leads into SQLite', async () => {
    const dir = join(temp(), 'demo');
    const result = await cadence(['demo', '--dir', dir]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('validated: 9 sequences');
    expect(result.stdout).toContain('inbound-8day — ');
    expect(result.stdout).toContain('imported leads.csv: 12 inserted, 0 updated, 0 unchanged, 0 refused');
    expect(result.stdout).toContain('佐藤 健二');
    expect(existsSync(join(dir, 'leads.csv'))).toBe(true);
    expect(existsSync(join(dir, '.cadence/outbox'))).toBe(true);
    const leads = await cadence(['leads', '--json'], { cwd: dir });
    expect((JSON.parse(leads.stdout) as unknown[]).length).toBe(12);
  });

  it('rehearses the inbound sequence day by day: emails in the outbox, calls waiting for a rep', async () => {
    const dir = join(temp(), 'demo');
    const result = await cadence(['demo', '--dir', dir, '--now', '2026-12-01T09:30:00-05:00']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('enrolled 2 inquiry MQLs in inbound-8day');
    expect(result.stdout).toMatch(/2026-12-04 10:00 {2}2 emails, 2 tasks/);
    expect(readdirSync(join(dir, '.cadence/outbox')).filter((name) => name.endsWith('.eml'))).toHaveLength(4);
    expect(result.stdout).toMatch(/#\d+ {2}call +olivia\.bennett@northwind\.example\.com {2}\(inbound-8day \/ call-3/);
  });
});
