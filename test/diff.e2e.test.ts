import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { cadence, repoRoot, tempDir } from './helpers/cli.js';

const temp = tempDir('cadence-diff-');
afterAll(() => temp.remove());

const KEEP = new Set(['outbound-intro.yaml', 'outbound-call.yaml', 'outbound-linkedin-connect.yaml', 'outbound-followup.yaml', 'outbound-breakup.yaml']);
const OUTREACH_V1 = `# yaml-language-server: $schema=../schemas/sequence.schema.json
name: Outreach
exit:
  events: [reply]
steps:
  - { id: intro, type: auto_email, day: 1, template: outbound-intro }
  - { id: call-1, type: call, day: 2, template: outbound-call }
  - { id: social, type: linkedin, day: 3, template: outbound-linkedin-connect }
  - { id: followup, type: auto_email, day: 5, template: outbound-followup }
  - { id: call-2, type: call, day: 6, template: outbound-call }
`;
// Steps removed (social), added (breakup), reordered (call-2 before followup, and so
// retimed), retimed (call-1), a branch added; the exit rules widened.
const OUTREACH_V2 = `# yaml-language-server: $schema=../schemas/sequence.schema.json
name: Outreach
exit:
  events: [reply, meeting_booked]
steps:
  - { id: intro, type: auto_email, day: 1, template: outbound-intro }
  - id: call-1
    type: call
    day: 3
    template: outbound-call
    outcomes:
      meeting_booked: finish
  - { id: call-2, type: call, day: 4, template: outbound-call }
  - { id: followup, type: auto_email, day: 5, template: outbound-followup }
  - { id: breakup, type: auto_email, day: 9, template: outbound-breakup }
`;

async function git(cwd: string, ...args: string[]): Promise<string> {
  const result = await execa('git', args, { cwd, env: { GIT_AUTHOR_NAME: 'RevOps', GIT_AUTHOR_EMAIL: 'revops@example.com', GIT_COMMITTER_NAME: 'RevOps', GIT_COMMITTER_EMAIL: 'revops@example.com' } });
  return String(result.stdout);
}

function edit(file: string, change: (text: string) => string): void {
  writeFileSync(file, change(readFileSync(file, 'utf8')));
}

/** The text output with the short commit ids taken out. */
const plain = (text: string): string => text.replace(/ \([0-9a-f]{7}\)/g, ' (SHA)');

let repo: string;
let ws: string;

/**
 * A repository whose workspace is in a subfolder (sales/), with three commits on main:
 * the first version; a reviewed change (steps added, removed, reordered, retimed; a
 * template reworded and given another variant; a trigger; a setting); a broken file.
 */
beforeAll(async () => {
  repo = join(temp.dir, 'repo');
  ws = join(repo, 'sales');
  mkdirSync(repo);
  const init = await cadence(['init', ws]);
  expect(init.exitCode, init.stderr).toBe(0);
  rmSync(join(ws, 'sequences'), { recursive: true });
  rmSync(join(ws, 'triggers'), { recursive: true });
  for (const name of readdirSync(join(ws, 'templates'))) if (!KEEP.has(name)) rmSync(join(ws, 'templates', name));
  mkdirSync(join(ws, 'sequences'));
  writeFileSync(join(ws, 'sequences', 'outreach.yaml'), OUTREACH_V1);
  await git(repo, 'init', '-q', '-b', 'main');
  await git(repo, 'add', '.');
  await git(repo, 'commit', '-qm', 'outreach v1');

  writeFileSync(join(ws, 'sequences', 'outreach.yaml'), OUTREACH_V2);
  edit(join(ws, 'templates', 'outbound-followup.yaml'), (text) => text.replace(/^subject: .*$/m, 'subject: "A short follow-up for {{ lead.company }}"').replace('Hi {{ lead.first_name }},', 'Hello {{ lead.first_name }},'));
  edit(join(ws, 'templates', 'outbound-intro.yaml'), (text) => text.replace(/ {2}- \{ id: name-first.*\n/, '  - { id: short, weight: 50, subject: "Quick question, {{ lead.first_name }}" }\n'));
  edit(join(ws, 'cadence.yaml'), (text) => text.replace('emails_per_lead_per_week: 3', 'emails_per_lead_per_week: 4'));
  await git(repo, 'add', '.');
  await git(repo, 'commit', '-qm', 'outreach v2');

  edit(join(ws, 'sequences', 'outreach.yaml'), (text) => text.replace('template: outbound-breakup', 'template: outbound-brekup'));
  await git(repo, 'commit', '-qam', 'a typo');
}, 60_000);

describe('cadence diff', () => {
  it('prints the semantic diff between two commits as text', async () => {
    const result = await cadence(['diff', 'HEAD~2', 'HEAD~1'], { cwd: ws });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(plain(result.stdout)).toBe(`cadence diff: HEAD~2 (SHA) → HEAD~1 (SHA)

~ sequence outreach (Outreach)
    - step social removed (linkedin, day 3, was the 3rd step)
    + step breakup added (auto_email, day 9) as the 5th step
    ↕ step call-2 moved from 5th to 3rd (now after call-1)
    ~ step call-1 retimed: day 2 → day 3
    ~ step call-1 outcome meeting_booked: (none) → finish
    ~ step call-2 retimed: day 6 → day 4
    ~ exit.events: ["reply"] → ["reply","meeting_booked"]

~ template outbound-followup
    ~ subject:
        [-Question about-]{+A short follow-up for+} {{ lead.company }}
    ~ body:
        [-Hi-]{+Hello+} {{ lead.first_name }},

~ template outbound-intro
    - variant name-first removed
    + variant short added

~ cadence.yaml
    ~ limits.emails_per_lead_per_week: 3 → 4`);
  });

  it('prints it as Markdown for a pull-request comment', async () => {
    const result = await cadence(['diff', 'HEAD~2', 'HEAD~1', '--format', 'markdown'], { cwd: ws });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(plain(result.stdout)).toBe(`### cadence diff

\`HEAD~2\` (SHA) → \`HEAD~1\` (SHA)

#### Sequence \`outreach\` (Outreach) — changed

| | change |
| --- | --- |
| - | step social removed (linkedin, day 3, was the 3rd step) |
| + | step breakup added (auto\\_email, day 9) as the 5th step |
| ↕ | step call-2 moved from 5th to 3rd (now after call-1) |
| ~ | step call-1 retimed: day 2 → day 3 |
| ~ | step call-1 outcome meeting\\_booked: (none) → finish |
| ~ | step call-2 retimed: day 6 → day 4 |

| setting | before | after |
| --- | --- | --- |
| \`exit.events\` | \\["reply"\\] | \\["reply","meeting\\_booked"\\] |

#### Template \`outbound-followup\` — changed

**Subject**

<pre>
<del>Question about</del><ins>A short follow-up for</ins> {{ lead.company }}
</pre>

**Body**

<pre>
<del>Hi</del><ins>Hello</ins> {{ lead.first_name }},
</pre>

#### Template \`outbound-intro\` — changed

Variant \`name-first\` — removed

Variant \`short\` — added

#### \`cadence.yaml\`

| setting | before | after |
| --- | --- | --- |
| \`limits.emails_per_lead_per_week\` | 3 | 4 |`);
  });

  it('prints it as JSON, with both commits and every change', async () => {
    const result = await cadence(['diff', 'HEAD~2', 'HEAD~1', '--json'], { cwd: ws });
    expect(result.exitCode, result.stderr).toBe(0);
    const diff = JSON.parse(result.stdout);
    expect(diff.base).toEqual({ label: 'HEAD~2', commit: (await git(repo, 'rev-parse', 'HEAD~2')).trim(), valid: true, errors: [] });
    expect(diff.head).toMatchObject({ label: 'HEAD~1', valid: true });
    expect(diff.changes.sequences).toEqual([
      {
        id: 'outreach',
        status: 'changed',
        name: 'Outreach',
        steps: [
          { step: 'social', change: 'removed', type: 'linkedin', timing: 'day 3', position: 3 },
          { step: 'breakup', change: 'added', type: 'auto_email', timing: 'day 9', position: 5 },
          { step: 'call-2', change: 'moved', from: 5, to: 3, after: 'call-1' },
          { step: 'call-1', change: 'retimed', from: 'day 2', to: 'day 3' },
          { step: 'call-1', change: 'branch', outcome: 'meeting_booked', from: null, to: 'finish' },
          { step: 'call-2', change: 'retimed', from: 'day 6', to: 'day 4' },
        ],
        settings: [{ path: 'exit.events', from: '["reply"]', to: '["reply","meeting_booked"]' }],
      },
    ]);
    const [followup, intro] = diff.changes.templates;
    expect(followup.subject.words).toEqual([{ op: 'del', text: 'Question about' }, { op: 'ins', text: 'A short follow-up for' }, { op: 'same', text: ' {{ lead.company }}' }]);
    expect(followup.body.words.slice(0, 2)).toEqual([{ op: 'del', text: 'Hi' }, { op: 'ins', text: 'Hello' }]);
    expect(intro.variants.map((variant: { id: string; status: string }) => [variant.id, variant.status])).toEqual([['name-first', 'removed'], ['short', 'added']]);
    expect(diff.changes.triggers).toEqual([]);
    expect(diff.changes.config).toEqual([{ path: 'limits.emails_per_lead_per_week', from: '3', to: '4' }]);
  });

  it('shows the validation errors of an invalid side instead of a diff, in every format, and exits 1', async () => {
    const text = await cadence(['diff', 'HEAD~1', 'HEAD'], { cwd: ws });
    expect(text.exitCode).toBe(1);
    expect(plain(text.stdout)).toBe(`cadence diff: HEAD~1 (SHA) → HEAD (SHA)

HEAD is invalid, so there is no diff (1 error):
  error SEQ_UNKNOWN_TEMPLATE  sequences/outreach.yaml:15:56  step "breakup" uses template "outbound-brekup", which does not exist
    hint: did you mean "outbound-breakup"? (templates/outbound-breakup.yaml)`);
    const markdown = await cadence(['diff', 'HEAD~1', 'HEAD', '--format', 'markdown'], { cwd: ws });
    expect(markdown.exitCode).toBe(1);
    expect(markdown.stdout).toContain(':x: **HEAD is invalid**, so there is no diff.');
    expect(markdown.stdout).toContain('- `SEQ_UNKNOWN_TEMPLATE` sequences/outreach.yaml:15:56: step "breakup" uses template "outbound-brekup", which does not exist');
    const json = await cadence(['diff', 'HEAD~1', 'HEAD', '--format', 'json'], { cwd: ws });
    expect(json.exitCode).toBe(1);
    const parsed = JSON.parse(json.stdout);
    expect(parsed.changes).toBeNull();
    expect(parsed.head.valid).toBe(false);
    expect(parsed.head.errors).toEqual([expect.objectContaining({ code: 'SEQ_UNKNOWN_TEMPLATE', file: 'sequences/outreach.yaml', line: 15, column: 56 })]);
    expect(json.stderr).toBe('');
  });

  it('compares the working tree with where the branch left main by default, uncommitted edits included', async () => {
    await git(repo, 'checkout', '-qb', 'feature', 'HEAD~1');
    try {
      edit(join(ws, 'templates', 'outbound-call.yaml'), (text) => text.replace(/^name: .*$/m, 'name: Outbound call script'));
      await git(repo, 'commit', '-qam', 'rename the call script');
      edit(join(ws, 'sequences', 'outreach.yaml'), (text) => text.replace('day: 9', 'day: 10'));
      const result = await cadence(['diff'], { cwd: ws });
      expect(result.exitCode, result.stderr).toBe(0);
      expect(plain(result.stdout)).toBe(`cadence diff: merge-base(main, HEAD) (SHA) → working tree

~ sequence outreach (Outreach)
    ~ step breakup retimed: day 9 → day 10

~ template outbound-call
    ~ name: Outbound first call script → Outbound call script`);
      // Nothing at all changed: said so.
      const same = await cadence(['diff', 'HEAD', 'HEAD'], { cwd: ws });
      expect(same.stdout).toMatch(/no changes to sequences, templates, triggers or cadence\.yaml$/);
    } finally {
      await git(repo, 'checkout', '-q', '--', '.');
      await git(repo, 'checkout', '-q', 'main');
    }
  });

  it('refuses an unknown revision (bad usage, 2) and a folder outside git (1), with a hint', async () => {
    const unknown = await cadence(['diff', 'no-such-branch'], { cwd: ws });
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toMatch(/^error GIT_BAD_REVISION {2}"no-such-branch" is not a commit/);
    expect(unknown.stderr).toContain('hint:');
    const outside = join(temp.dir, 'outside');
    expect((await cadence(['init', outside])).exitCode).toBe(0);
    const result = await cadence(['diff'], { cwd: outside, env: { GIT_CEILING_DIRECTORIES: temp.dir } });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/^error GIT_NOT_A_REPO {2}.* is not inside a git repository\n {2}hint: /);
    expect(result.stderr).not.toMatch(/at .*\.js/);
  });

  it('runs in the GitHub Actions workflow cadence init writes: validate as annotations, the diff as a PR comment', async () => {
    const origin = join(temp.dir, 'team-sales');
    expect((await cadence(['init', origin])).exitCode).toBe(0);
    const workflow = parse(readFileSync(join(origin, '.github', 'workflows', 'cadence.yml'), 'utf8')) as {
      on: Record<string, unknown>;
      env: { CADENCE: string };
      jobs: Record<string, { if?: string; permissions?: Record<string, string>; steps: { name?: string; run?: string; uses?: string; with?: Record<string, unknown>; env?: Record<string, string> }[] }>;
    };
    expect(Object.keys(workflow.on)).toEqual(['pull_request', 'push']);
    expect(workflow.env.CADENCE).toMatch(/^npx --yes cadence@\d+\.\d+\.\d+$/);
    expect(workflow.jobs.validate!.steps.at(-1)!.run).toBe('$CADENCE validate --format github');
    const review = workflow.jobs.review!;
    expect(review.if).toBe("github.event_name == 'pull_request'");
    expect(review.permissions).toEqual({ contents: 'read', 'pull-requests': 'write' });
    expect(review.steps[0]!.with).toEqual({ 'fetch-depth': 0 });
    const [diffStep, commentStep] = review.steps.slice(-2);
    expect(commentStep!.run).toContain('gh pr comment "$PR" --body-file cadence-diff.md');
    expect(commentStep!.env).toEqual({ GH_TOKEN: '${{ github.token }}', PR: '${{ github.event.pull_request.number }}' });

    // The diff step's own script, run as the runner would in a checkout of a pull request.
    await git(origin, 'init', '-q', '-b', 'main');
    await git(origin, 'add', '.');
    await git(origin, 'commit', '-qm', 'the starter library');
    const checkout = join(temp.dir, 'checkout');
    await git(temp.dir, 'clone', '-q', origin, checkout);
    await git(checkout, 'checkout', '-qb', 'warmer-welcome');
    edit(join(checkout, 'templates', 'inbound-welcome.yaml'), (text) => text.replace(/^subject: .*$/m, 'subject: "Welcome, {{ lead.first_name }}!"'));
    await git(checkout, 'commit', '-qam', 'a warmer welcome');
    const summary = join(temp.dir, 'summary.md');
    const ran = await execa('bash', ['-e', '-c', diffStep!.run!], { cwd: checkout, env: { CADENCE: `${process.execPath} ${join(repoRoot, 'bin', 'cadence.js')}`, GITHUB_BASE_REF: 'main', GITHUB_STEP_SUMMARY: summary, NO_COLOR: '1' }, reject: false });
    expect(ran.exitCode, String(ran.stderr)).toBe(0);
    const comment = readFileSync(join(checkout, 'cadence-diff.md'), 'utf8');
    expect(comment).toMatch(/^### cadence diff\n\n`origin\/main` \([0-9a-f]{7}\) → `HEAD` \([0-9a-f]{7}\)\n\n#### Template `inbound-welcome` — changed\n\n\*\*Subject\*\*\n\n<pre>\n/);
    expect(comment).toContain('<del>Your inquiry</del><ins>Welcome</ins>, {{ lead.first_name }}<ins>!</ins>');
    expect(readFileSync(summary, 'utf8')).toBe(comment);
  });
});

