import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { bin, cadence, sampleWorkspace, tempDir } from './helpers/cli.js';

const temp = tempDir('cadence-tick-');
afterAll(() => temp.remove());

function query<T>(ws: string, sql: string, ...params: unknown[]): T[] {
  const db = new Database(join(ws, '.cadence', 'cadence.db'), { readonly: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

/** The outbox's files; none when nothing was ever written (the folder is made on the first message). */
function outboxFiles(ws: string): string[] {
  const dir = join(ws, '.cadence', 'outbox');
  return existsSync(dir) ? readdirSync(dir).filter((name) => !name.startsWith('.')) : [];
}

async function demo(name: string): Promise<string> {
  const ws = join(temp.dir, name);
  await sampleWorkspace(ws);
  return ws;
}

const at = (day: string) => ({ CADENCE_NOW: `2026-12-${day}T10:00:00-05:00` });

describe('cadence tick on the outbox', () => {
  it('runs a sequence day by day: emails with threading, unsubscribe and footer; tasks; finish', async () => {
    const ws = await demo('story');
    expect((await cadence(['enroll', 'inbound-8day', '--lead', 'olivia.bennett@northwind.example.com'], { cwd: ws, env: at('01') })).exitCode).toBe(0);
    const first = JSON.parse((await cadence(['tick', '--json'], { cwd: ws, env: at('01') })).stdout) as { emailsSent: number; tasksCreated: number; errors: unknown[] };
    expect(first).toMatchObject({ emailsSent: 1, tasksCreated: 1, errors: [] });
    for (const day of ['02', '03', '04', '07', '08', '09', '10', '11']) {
      const result = await cadence(['tick'], { cwd: ws, env: at(day) });
      expect(result.exitCode).toBe(0);
    }
    const messages = query<{ step_id: string; message_id: string; thread_of: string | null; subject: string; path: string; state: string }>(ws, 'SELECT step_id, message_id, thread_of, subject, path, state FROM messages ORDER BY id');
    expect(messages.map((message) => message.step_id)).toEqual(['welcome', 'followup', 'breakup']);
    expect(messages.every((message) => message.state === 'sent')).toBe(true);
    const welcome = messages[0]!;
    const followup = readFileSync(messages[1]!.path, 'utf8');
    expect(followup).toContain(`In-Reply-To: ${welcome.message_id}`);
    expect(followup).toContain(`Subject: Re: ${welcome.subject}`);
    expect(followup).toMatch(/List-Unsubscribe: <mailto:unsubscribe\+[\w-]+@example\.com>/);
    expect(followup).toContain('Date: Fri, 04 Dec 2026 15:00:00 +0000');
    const plain = followup.replace(/=\r?\n/g, '');
    expect(plain).toContain('100 Example Street, Suite 200, New York, NY 10001, USA');
    expect(plain).toContain('To unsubscribe, send an empty email to unsubscribe+');
    expect(outboxFiles(ws).filter((name) => name.endsWith('.eml'))).toHaveLength(3);
    const tasks = query<{ step_id: string; type: string }>(ws, 'SELECT step_id, type FROM tasks ORDER BY id');
    expect(tasks.map((task) => task.step_id)).toEqual(['linkedin-connect', 'call-1', 'call-2', 'call-3']);
    const [enrollment] = query<{ state: string }>(ws, 'SELECT state FROM enrollments');
    expect(enrollment!.state).toBe('finished');
    // Each email is queued as its step is done and delivered at the end of the same tick;
    // the enrollment finishes once its last step is done.
    const types = query<{ type: string }>(ws, "SELECT type FROM events WHERE type IN ('email.queued', 'email.sent', 'task.created', 'enrollment.finished') ORDER BY id").map((event) => event.type);
    expect(types.filter((type) => type === 'email.queued')).toHaveLength(3);
    expect(types.filter((type) => type === 'email.sent')).toHaveLength(3);
    expect(types.lastIndexOf('enrollment.finished')).toBeGreaterThan(types.lastIndexOf('email.queued'));
    expect(types.filter((type) => type === 'enrollment.finished')).toHaveLength(1);
  });

  it('pauses with a reason instead of sending a message with a hole in it', async () => {
    const ws = await demo('missing');
    // A template needing a field the lead lacks: the step stops with missing_field.
    const file = join(ws, 'templates', 'outbound-intro.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('{{ lead.company }}', '{{ lead.company }} {{ lead.department }}'));
    expect((await cadence(['enroll', 'outbound-18day', '--lead', 'priya.shah@fabrikam.example.com'], { cwd: ws, env: at('01') })).exitCode).toBe(0);
    const result = JSON.parse((await cadence(['tick', '--json'], { cwd: ws, env: at('01') })).stdout) as { emailsSent: number; paused: number };
    expect(result).toMatchObject({ emailsSent: 0, paused: 1 });
    const [row] = query<{ state: string; reason: string }>(ws, 'SELECT state, reason FROM enrollments');
    expect(row).toEqual({ state: 'paused', reason: 'missing_field:department' });
    expect(outboxFiles(ws)).toHaveLength(0);
  });

  it('sends nothing from an invalid workspace and exits 1', async () => {
    const ws = await demo('invalid');
    expect((await cadence(['enroll', 'outbound-18day', '--lead', 'priya.shah@fabrikam.example.com'], { cwd: ws, env: at('01') })).exitCode).toBe(0);
    writeFileSync(join(ws, 'sequences', 'broken.yaml'), 'name: [unclosed\n');
    const result = await cadence(['tick'], { cwd: ws, env: at('01') });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('WORKSPACE_INVALID');
    expect(outboxFiles(ws)).toHaveLength(0);
  });

  it('checks the workspace again as soon as a file changes (the validation cache keys on content)', async () => {
    const ws = await demo('cache');
    expect((await cadence(['tick'], { cwd: ws, env: at('01') })).exitCode).toBe(0);
    expect(existsSync(join(ws, '.cadence', 'validated.json'))).toBe(true);
    const file = join(ws, 'templates', 'inbound-welcome.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('{{ unsubscribe }}', ''));
    const result = await cadence(['tick'], { cwd: ws, env: at('02') });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('TPL_MISSING_UNSUBSCRIBE');
  });

  it('keeps the calendar\'s holidays in the validation cache, and answers from it while the workspace is unchanged', async () => {
    const ws = await demo('holiday-cache');
    const simulate = async () => (await cadence(['simulate', 'inbound-8day', '--field', 'email=a@example.org', '--field', 'first_name=A', '--field', 'company=X', '--from', '2026-12-21T10:00:00-05:00'], { cwd: ws, env: at('01') })).stdout;
    const before = await simulate();
    expect(before).toContain('2026-12-25 (Christmas Day)');
    const path = join(ws, '.cadence', 'validated.json');
    const cache = JSON.parse(readFileSync(path, 'utf8')) as { definitions: { holidays: { code: string; from: number; to: number; names: [string, string][] } } };
    // The years around the command's clock (CADENCE_NOW is in 2026).
    expect(cache.definitions.holidays).toMatchObject({ code: 'US', from: 2025, to: 2028 });
    expect(new Map(cache.definitions.holidays.names).get('2027-07-04')).toBe('Independence Day');
    // The cache, not date-holidays, answers: a holiday taken out of it is a business day,
    // and one only it knows is passed over.
    cache.definitions.holidays.names = cache.definitions.holidays.names.filter(([date]) => date !== '2026-12-25');
    cache.definitions.holidays.names.push(['2026-12-22', 'Cache Day']);
    writeFileSync(path, JSON.stringify(cache));
    const after = await simulate();
    expect(after).not.toContain('Christmas Day');
    expect(after).toContain('passed over: 2026-12-22 (Cache Day)');
  });

  it('two ticks started at the same moment process each step once', async () => {
    const ws = await demo('overlap');
    expect((await cadence(['enroll', 'outbound-18day', '--where', 'email is not empty'], { cwd: ws, env: at('01') })).exitCode).toBe(0);
    const enrolled = query<{ n: number }>(ws, "SELECT count(*) AS n FROM enrollments WHERE state = 'active'")[0]!.n;
    const [a, b] = await Promise.all([cadence(['tick', '--json'], { cwd: ws, env: at('01') }), cadence(['tick', '--json'], { cwd: ws, env: at('01') })]);
    const sent = [a, b].map((result) => (JSON.parse(result.stdout) as { emailsSent: number }).emailsSent);
    const rows = query<{ n: number; distinct_steps: number }>(ws, 'SELECT count(*) AS n, count(DISTINCT enrollment_id || step_id) AS distinct_steps FROM messages')[0]!;
    expect(rows.n).toBe(rows.distinct_steps);
    expect(sent[0]! + sent[1]!).toBe(rows.n);
    expect(rows.n).toBeGreaterThan(0);
    expect(rows.n).toBeLessThanOrEqual(enrolled);
    expect(outboxFiles(ws)).toHaveLength(rows.n);
  });

  it('ticks killed at random moments lose nothing and send nothing twice', async () => {
    const ws = await demo('crash');
    const LEADS = 5000;
    // Five thousand emails in one day: over the starter mailbox's daily cap of 200.
    writeFileSync(join(ws, 'cadence.yaml'), readFileSync(join(ws, 'cadence.yaml'), 'utf8').replace(/daily_cap: 200/g, 'daily_cap: 10000'));
    // Many leads, so that five ticks killed early cannot finish them all (a tick does
    // ~6,000 steps a second here; each is killed within 150 ms of starting its work).
    const lines = ['email,first_name,last_name,company,status'];
    for (let i = 0; i < LEADS; i++) lines.push(`lead${i}@example.org,Lead${i},Test,Company ${i},new`);
    writeFileSync(join(ws, 'many.csv'), `${lines.join('\n')}\n`);
    expect((await cadence(['import', 'many.csv'], { cwd: ws })).exitCode).toBe(0);
    expect((await cadence(['enroll', 'outbound-18day', '--where', 'email contains ".org"'], { cwd: ws, env: at('01') })).exitCode).toBe(0);
    const due = query<{ n: number }>(ws, "SELECT count(*) AS n FROM enrollments WHERE state = 'active'")[0]!.n;
    expect(due).toBe(LEADS);
    // Each tick is killed once it has started work (a tick row exists), after a random moment more.
    for (let round = 0; round < 5; round++) {
      const ticksBefore = query<{ n: number }>(ws, 'SELECT count(*) AS n FROM ticks')[0]!.n;
      const child = execa(process.execPath, [bin, 'tick'], { cwd: ws, env: { NO_COLOR: '1', ...at('01') }, reject: false });
      for (let wait = 0; wait < 1000 && query<{ n: number }>(ws, 'SELECT count(*) AS n FROM ticks')[0]!.n === ticksBefore; wait++) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 150)));
      child.kill('SIGKILL');
      await child;
    }
    const sentBeforeRecovery = query<{ n: number }>(ws, 'SELECT count(*) AS n FROM messages')[0]!.n;
    expect(sentBeforeRecovery).toBeLessThan(LEADS);
    const finished = await cadence(['tick', '--json'], { cwd: ws, env: at('01') });
    expect(finished.exitCode).toBe(0);
    const messages = query<{ enrollment_id: number; step_id: string; state: string; message_id: string }>(ws, 'SELECT enrollment_id, step_id, state, message_id FROM messages');
    const keys = new Set(messages.map((message) => `${message.enrollment_id}/${message.step_id}`));
    expect(keys.size).toBe(messages.length);
    expect(messages.filter((message) => message.step_id === 'intro')).toHaveLength(LEADS);
    expect(messages.every((message) => message.state === 'sent')).toBe(true);
    const files = outboxFiles(ws).filter((name) => name.endsWith('.eml'));
    expect(files).toHaveLength(LEADS);
    expect(query<{ n: number }>(ws, `SELECT count(*) AS n FROM ticks WHERE result = '"killed"'`)[0]!.n).toBe(5);
    const claimed = query<{ n: number }>(ws, 'SELECT count(*) AS n FROM enrollments WHERE claimed_by IS NOT NULL')[0]!.n;
    expect(claimed).toBe(0);
  }, 60_000);

  it('ticks killed at each point of their work (after the Nth batch of steps, marking sending, the Nth delivery) leave every step done exactly once', async () => {
    const ws = await demo('crash-points');
    writeFileSync(join(ws, 'cadence.yaml'), readFileSync(join(ws, 'cadence.yaml'), 'utf8').replace(/daily_cap: 200/g, 'daily_cap: 5000'));
    const lines = ['email,first_name,last_name,company,status'];
    for (let i = 0; i < 700; i++) lines.push(`lead${i}@example.org,Lead${i},Test,Company ${i},new`);
    writeFileSync(join(ws, 'many.csv'), `${lines.join('\n')}\n`);
    expect((await cadence(['import', 'many.csv'], { cwd: ws })).exitCode).toBe(0);
    expect((await cadence(['enroll', 'outbound-18day', '--where', 'email contains ".org"'], { cwd: ws, env: at('01') })).exitCode).toBe(0);
    for (const point of ['queued:1', 'sending:1', 'delivered:150', 'queued:2', 'delivered:1', 'sending:2']) {
      const killed = await execa(process.execPath, [bin, 'tick'], { cwd: ws, env: { NO_COLOR: '1', ...at('01'), CADENCE_CRASH_AT: point }, reject: false });
      // A point the tick no longer reaches (its work is done) lets it finish.
      expect(killed.signal === 'SIGKILL' || killed.exitCode === 0).toBe(true);
    }
    const finished = await cadence(['tick', '--json'], { cwd: ws, env: at('01') });
    expect(finished.exitCode).toBe(0);
    const messages = query<{ enrollment_id: number; step_id: string; state: string; message_id: string }>(ws, 'SELECT enrollment_id, step_id, state, message_id FROM messages');
    expect(messages).toHaveLength(700);
    expect(new Set(messages.map((message) => `${message.enrollment_id}/${message.step_id}`)).size).toBe(700);
    expect(messages.every((message) => message.state === 'sent')).toBe(true);
    const files = outboxFiles(ws).filter((name) => name.endsWith('.eml'));
    expect(files).toHaveLength(700);
    expect(readdirSync(join(ws, '.cadence', 'outbox', '.tmp'))).toEqual([]);
    expect(query<{ n: number }>(ws, "SELECT count(*) AS n FROM enrollments WHERE step_id = 'intro' OR claimed_by IS NOT NULL")[0]!.n).toBe(0);
  }, 90_000);

  it('takes up the work of a killed tick even when another process now carries its process id (a reboot, ids wrapped)', async () => {
    const ws = await demo('pid-reused');
    expect((await cadence(['enroll', 'inbound-8day', '--lead', 'olivia.bennett@northwind.example.com'], { cwd: ws, env: at('01') })).exitCode).toBe(0);
    // A live process started now stands in for the one that took the dead tick's id.
    const stranger = execa('sleep', ['30'], { reject: false });
    try {
      const db = new Database(join(ws, '.cadence', 'cadence.db'));
      const hourAgo = new Date(Date.now() - 3_600_000).toISOString();
      const dead = Number(db.prepare('INSERT INTO ticks (started_at, now, pid) VALUES (?, ?, ?)').run(hourAgo, '2026-12-01T15:00:00.000Z', stranger.pid).lastInsertRowid);
      db.prepare("UPDATE enrollments SET claimed_by = ?, claimed_at = ? WHERE state = 'active'").run(dead, hourAgo);
      db.close();
      const tick = await cadence(['tick', '--json'], { cwd: ws, env: at('01') });
      expect(tick.exitCode).toBe(0);
      expect(JSON.parse(tick.stdout)).toMatchObject({ emailsSent: 1 });
      expect(query<{ result: string }>(ws, 'SELECT result FROM ticks WHERE id = ?', dead)[0]!.result).toBe('"killed"');
    } finally {
      stranger.kill();
      await stranger;
    }
  });
});

