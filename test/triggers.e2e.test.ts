import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../src/store/database.js';
import { triggersThatWouldFire } from '../src/triggers/would-fire.js';
import { validateWorkspace } from '../src/workspace/validate.js';
import type { TriggerDefinition, WorkspaceConfig } from '../src/workspace/types.js';
import { cadence, queryStore, repoRoot, sampleWorkspace, tempDir } from './helpers/cli.js';

const temp = tempDir('cadence-triggers-');
afterAll(() => temp.remove());

const OLIVIA = 'olivia.bennett@northwind.example.com';
const MARCUS = 'marcus.lee@contoso.example.com';
const PRIYA = 'priya.shah@fabrikam.example.com';
const GRACE = 'grace.kim@adatum.example.com';
const TOM = 'tom.hughes@litware.example.com';
const at = (iso: string): Record<string, string> => ({ CADENCE_NOW: iso });
const DAY1 = '2026-12-01T10:00:00-05:00';

async function workspace(name: string): Promise<string> {
  const ws = join(temp.dir, name);
  await sampleWorkspace(ws, { triggers: true });
  return ws;
}

async function tick(ws: string, now: string, extraEnv: Record<string, string> = {}): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  const result = await cadence(['tick'], { cwd: ws, env: { ...at(now), ...extraEnv } });
  return result;
}

type Enrollment = { sequence: string; state: string; reason: string | null };
const enrollments = (ws: string, email: string): Enrollment[] =>
  queryStore<Enrollment>(ws, 'SELECT sequence, state, reason FROM enrollments WHERE lead_id = (SELECT id FROM leads WHERE email = ?) ORDER BY id', email);
const fired = (ws: string): { trigger: string; lead: string; event: number | null }[] =>
  queryStore<{ data: string; email: string }>(ws, "SELECT events.data, leads.email FROM events JOIN leads ON leads.id = events.lead_id WHERE events.type = 'trigger.fired' ORDER BY events.id").map((row) => {
    const data = JSON.parse(row.data) as { trigger: string; event?: number };
    return { trigger: data.trigger, lead: row.email, event: data.event ?? null };
  });
const field = (ws: string, email: string, name: string): unknown => queryStore<{ value: unknown }>(ws, `SELECT ${name} AS value FROM leads WHERE email = ?`, email)[0]!.value;

describe('the starter triggers, end to end (import → tick → store)', () => {
  it('mql-to-inbound: a new MQL from an inquiry starts the inbound sequence at the next tick, and one updated to MQL too', async () => {
    const ws = await workspace('mql');
    const first = await tick(ws, DAY1);
    expect(first.exitCode).toBe(0);
    // The two English inquiry MQLs from the import; the Japanese ones belong to mql-to-inbound-ja (not in an English workspace).
    // In event order: the import wrote its leads in address order.
    expect(fired(ws).map(({ trigger, lead }) => [trigger, lead])).toEqual([
      ['mql-to-inbound', MARCUS],
      ['mql-to-inbound', OLIVIA],
    ]);
    expect(enrollments(ws, OLIVIA)).toEqual([{ sequence: 'inbound-8day', state: 'active', reason: null }]);
    // Enrolled before the due steps of the same tick: the welcome email went out in it.
    expect(queryStore<{ n: number }>(ws, "SELECT count(*) AS n FROM messages WHERE step_id = 'welcome'")[0]!.n).toBe(2);

    // Priya came from a list: nothing. Once she is an inquiry MQL, the next tick enrolls her.
    expect(enrollments(ws, PRIYA)).toEqual([]);
    expect((await cadence(['leads', 'set', PRIYA, 'source=inquiry', 'inquiry=Pricing please'], { cwd: ws, env: at(DAY1) })).exitCode).toBe(0);
    await tick(ws, '2026-12-01T10:05:00-05:00');
    expect(enrollments(ws, PRIYA)).toEqual([]);
    expect((await cadence(['leads', 'set', PRIYA, 'status=MQL'], { cwd: ws, env: at(DAY1) })).exitCode).toBe(0);
    await tick(ws, '2026-12-01T10:10:00-05:00');
    expect(enrollments(ws, PRIYA)).toEqual([{ sequence: 'inbound-8day', state: 'active', reason: null }]);
    // Nothing is handled twice: one firing per lead.
    expect(fired(ws).filter((row) => row.lead === OLIVIA)).toHaveLength(1);
  }, 60_000);

  it('the tick says which enrollments a trigger asked for were refused, and why', async () => {
    const ws = await workspace('refused');
    // Olivia is already in the outbound sequence, which the inbound one does not run beside.
    expect((await cadence(['enroll', 'outbound-18day', '--lead', OLIVIA], { cwd: ws, env: at(DAY1) })).exitCode).toBe(0);
    const result = await cadence(['tick', '--json'], { cwd: ws, env: at(DAY1) });
    expect(result.exitCode).toBe(0);
    const triggers = (JSON.parse(result.stdout) as { triggers: { fired: number; refused: { email: string; sequence: string; trigger: string; reason: string }[] } }).triggers;
    expect(triggers.fired).toBe(2);
    expect(triggers.refused).toEqual([{ email: OLIVIA, sequence: 'inbound-8day', trigger: 'mql-to-inbound', reason: expect.stringContaining('active in outbound-18day') }]);
    const later = await cadence(['tick'], { cwd: ws, env: at('2026-12-02T10:00:00-05:00') });
    expect(later.stdout).not.toContain('refused');
    // The same, said to a person.
    const other = await workspace('refused-text');
    expect((await cadence(['enroll', 'outbound-18day', '--lead', OLIVIA], { cwd: other, env: at(DAY1) })).exitCode).toBe(0);
    const text = await cadence(['tick'], { cwd: other, env: at(DAY1) });
    expect(text.stdout).toContain('triggers: 2 fired; 1 enrollments they asked for were refused');
    expect(text.stdout).toMatch(new RegExp(`${OLIVIA.replace(/\./g, '\\.')} not enrolled in inbound-8day by trigger mql-to-inbound: active in outbound-18day`));
  }, 60_000);

  it('finished-to-nurture-inbound: finishing the inbound sequence without a reply hands the lead back to marketing', async () => {
    const ws = await workspace('nurture');
    for (const day of ['01', '02', '03', '04', '07', '08', '09', '10', '11']) expect((await tick(ws, `2026-12-${day}T10:00:00-05:00`)).exitCode).toBe(0);
    expect(enrollments(ws, OLIVIA)).toEqual([{ sequence: 'inbound-8day', state: 'finished', reason: null }]);
    expect(field(ws, OLIVIA, 'status')).toBe('nurture');
    const chain = fired(ws).filter((row) => row.lead === OLIVIA).map((row) => row.trigger);
    expect(chain).toEqual(['mql-to-inbound', 'finished-to-nurture-inbound']);
    // The status change is logged as caused by the trigger.
    const update = queryStore<{ data: string }>(ws, "SELECT data FROM events WHERE type = 'lead.updated' AND lead_id = (SELECT id FROM leads WHERE email = ?)", OLIVIA).map((row) => JSON.parse(row.data) as { by?: string; changes: Record<string, unknown> });
    expect(update).toEqual([{ changes: { status: ['MQL', 'nurture'] }, by: 'trigger finished-to-nurture-inbound' }]);
  }, 90_000);

  it('finished-to-nurture-inbound leaves a lead who replied alone (the reply exited the sequence)', async () => {
    const ws = await workspace('replied');
    await tick(ws, DAY1);
    expect((await cadence(['log', MARCUS, 'reply'], { cwd: ws, env: at('2026-12-02T10:00:00-05:00') })).exitCode).toBe(0);
    for (const day of ['02', '03', '04', '07', '08', '09', '10', '11']) await tick(ws, `2026-12-${day}T10:00:00-05:00`);
    expect(enrollments(ws, MARCUS)).toEqual([{ sequence: 'inbound-8day', state: 'exited', reason: 'reply' }]);
    expect(field(ws, MARCUS, 'status')).toBe('MQL');
  }, 90_000);

  it('finished-to-nurture-outbound: finishing the outbound sequence hands a new lead to nurture, and leaves one a rep has moved on alone', async () => {
    const ws = await workspace('nurture-outbound');
    expect((await cadence(['enroll', 'outbound-18day', '--lead', PRIYA, '--lead', GRACE], { cwd: ws, env: at(DAY1) })).exitCode).toBe(0);
    // A rep moves Grace on while the sequence runs; Priya stays as she came in (new).
    expect((await cadence(['leads', 'set', GRACE, 'status=working'], { cwd: ws, env: at(DAY1) })).exitCode).toBe(0);
    for (const day of ['01', '07', '11', '18', '21', '22', '28']) expect((await tick(ws, `2026-12-${day}T10:00:00-05:00`)).exitCode).toBe(0);
    expect(enrollments(ws, PRIYA)).toEqual([{ sequence: 'outbound-18day', state: 'finished', reason: null }]);
    expect(enrollments(ws, GRACE)).toEqual([{ sequence: 'outbound-18day', state: 'finished', reason: null }]);
    expect(field(ws, PRIYA, 'status')).toBe('nurture');
    expect(field(ws, GRACE, 'status')).toBe('working');
    expect(fired(ws).filter((row) => row.trigger === 'finished-to-nurture-outbound').map((row) => row.lead)).toEqual([PRIYA]);
  }, 90_000);

  it('lost-deal-recycle: a lost deal with a reason is enrolled at 09:00, 90 days before the competitor renews — and ticks before that stay idle', async () => {
    const ws = await workspace('recycle');
    // Tom (from the sample leads) lost on price to Globex; competitor_renewal_date 2027-04-30,
    // so the moment is 2027-01-30 09:00 New York.
    await tick(ws, DAY1);
    expect(queryStore<{ fire_at: string; state: string }>(ws, "SELECT fire_at, state FROM trigger_dates WHERE trigger = 'lost-deal-recycle' AND lead_id = (SELECT id FROM leads WHERE email = ?)", TOM)).toEqual([{ fire_at: '2027-01-30T14:00:00.000Z', state: 'pending' }]);
    // The inbound sequences the MQL trigger started have their own due work: done first.
    await tick(ws, '2027-01-30T08:58:00-05:00');
    const early = await tick(ws, '2027-01-30T08:59:00-05:00');
    expect(early.stdout).toContain('nothing was due');
    expect(enrollments(ws, TOM)).toEqual([]);
    await tick(ws, '2027-01-30T09:00:00-05:00');
    expect(enrollments(ws, TOM)).toEqual([{ sequence: 'lost-deal-recycle', state: 'active', reason: null }]);
    expect(fired(ws).filter((row) => row.lead === TOM).map((row) => row.trigger)).toEqual(['lost-deal-recycle']);
    // Fired once: later ticks do not fire it again.
    await tick(ws, '2027-01-31T09:00:00-05:00');
    expect(fired(ws).filter((row) => row.trigger === 'lost-deal-recycle')).toHaveLength(1);
  }, 60_000);

  it('lost-deal-recycle follows a changed date, and a moment already past when the date arrived is missed, not fired late', async () => {
    const ws = await workspace('recycle-moved');
    expect((await cadence(['leads', 'set', TOM, 'competitor=Globex', 'competitor_renewal_date=2027-06-30'], { cwd: ws, env: at(DAY1) })).exitCode).toBe(0);
    await tick(ws, DAY1);
    expect(queryStore<{ fire_at: string }>(ws, "SELECT fire_at FROM trigger_dates WHERE trigger = 'lost-deal-recycle' AND lead_id = (SELECT id FROM leads WHERE email = ?)", TOM)).toEqual([{ fire_at: '2027-04-01T13:00:00.000Z' }]);
    // Set to a date whose moment is already past: recorded as missed.
    expect((await cadence(['leads', 'set', TOM, 'competitor_renewal_date=2027-01-15'], { cwd: ws, env: at('2026-12-02T10:00:00-05:00') })).exitCode).toBe(0);
    await tick(ws, '2026-12-02T10:01:00-05:00');
    expect(queryStore<{ state: string }>(ws, "SELECT state FROM trigger_dates WHERE trigger = 'lost-deal-recycle' AND lead_id = (SELECT id FROM leads WHERE email = ?)", TOM)).toEqual([{ state: 'missed' }]);
    await tick(ws, '2027-04-01T09:00:00-04:00');
    expect(enrollments(ws, TOM)).toEqual([]);
  }, 60_000);

  it('trial-paid: trial_status becoming paid removes the lead from the trial sequence at the next tick', async () => {
    const ws = await workspace('trial');
    expect((await cadence(['enroll', 'trial-conversion', '--lead', GRACE], { cwd: ws, env: at(DAY1) })).exitCode).toBe(0);
    await tick(ws, DAY1);
    expect(enrollments(ws, GRACE)).toEqual([{ sequence: 'trial-conversion', state: 'active', reason: null }]);
    expect((await cadence(['leads', 'set', GRACE, 'trial_status=paid'], { cwd: ws, env: at('2026-12-03T10:00:00-05:00') })).exitCode).toBe(0);
    await tick(ws, '2026-12-03T10:01:00-05:00');
    expect(enrollments(ws, GRACE)).toEqual([{ sequence: 'trial-conversion', state: 'exited', reason: 'removed' }]);
    expect(fired(ws).filter((row) => row.lead === GRACE).map((row) => row.trigger)).toEqual(['trial-paid']);
  }, 60_000);

  it('mql-to-inbound-ja: in a Japanese workspace the Japanese inquiry MQLs start inbound-8day-ja', async () => {
    const ws = join(temp.dir, 'ja');
    expect((await cadence(['init', ws, '--lang', 'ja'])).exitCode).toBe(0);
    writeFileSync(join(ws, 'leads.csv'), readFileSync(join(repoRoot, 'examples', 'leads.csv')));
    expect((await cadence(['import', 'leads.csv'], { cwd: ws })).exitCode).toBe(0);
    expect((await tick(ws, '2026-12-01T10:00:00+09:00')).exitCode).toBe(0);
    expect(fired(ws).map(({ trigger, lead }) => [trigger, lead])).toEqual([
      ['mql-to-inbound-ja', 'sato.kenji@sakura-kogyo.example.co.jp'],
      ['mql-to-inbound-ja', 'suzuki.yumi@midori-shoji.example.co.jp'],
    ]);
    expect(enrollments(ws, 'sato.kenji@sakura-kogyo.example.co.jp')).toEqual([{ sequence: 'inbound-8day-ja', state: 'active', reason: null }]);
  }, 60_000);

  it('a workspace without triggers: the tick moves the cursor past the log and then idles', async () => {
    const ws = join(temp.dir, 'none');
    await sampleWorkspace(ws);
    await tick(ws, DAY1);
    expect(fired(ws)).toEqual([]);
    const cursor = queryStore<{ last: number; max: number }>(ws, 'SELECT (SELECT last_event_id FROM trigger_cursor) AS last, (SELECT max(id) FROM events) AS max')[0]!;
    expect(cursor.last).toBe(cursor.max);
    expect((await tick(ws, '2026-12-01T10:01:00-05:00')).stdout).toContain('nothing was due');
  }, 30_000);
});

describe('exactly once, in order, across crashes', () => {
  it('a tick killed (SIGKILL) between two events loses none and repeats none', async () => {
    const ws = await workspace('crash');
    const lines = ['email,first_name,last_name,company,status,source,language,inquiry'];
    for (let i = 0; i < 40; i++) lines.push(`mql${i}@example.org,Lead${i},Test,Company ${i},MQL,inquiry,en,Question ${i}`);
    writeFileSync(join(ws, 'mql.csv'), `${lines.join('\n')}\n`);
    expect((await cadence(['import', 'mql.csv'], { cwd: ws, env: at(DAY1) })).exitCode).toBe(0);
    // Killed after the 15th committed step of trigger work: some leads enrolled, the rest not yet.
    const killed = await tick(ws, DAY1, { CADENCE_CRASH_AT: 'trigger:15' });
    expect(killed.exitCode).not.toBe(0);
    const firedBefore = fired(ws).length;
    expect(firedBefore).toBeGreaterThan(0);
    expect(firedBefore).toBeLessThan(42);
    const cursor = queryStore<{ last: number }>(ws, 'SELECT last_event_id AS last FROM trigger_cursor')[0]!.last;
    expect(fired(ws).at(-1)!.event).toBe(cursor);
    // The next tick takes up where the killed one stopped.
    const next = await tick(ws, DAY1);
    expect(next.exitCode).toBe(0);
    const all = fired(ws);
    expect(all).toHaveLength(42);
    expect(new Set(all.map((row) => row.event)).size).toBe(42);
    // In order: the firings follow the events' order.
    expect(all.map((row) => row.event)).toEqual([...all.map((row) => row.event)].sort((a, b) => a! - b!));
    const live = queryStore<{ n: number; leads: number }>(ws, "SELECT count(*) AS n, count(DISTINCT lead_id) AS leads FROM enrollments WHERE sequence = 'inbound-8day'")[0]!;
    expect(live).toEqual({ n: 42, leads: 42 });
    expect(queryStore<{ n: number }>(ws, "SELECT count(*) AS n FROM events WHERE type = 'enrollment.skipped'")[0]!.n).toBe(0);
  }, 60_000);
});

describe('the loop guard', () => {
  it('stops triggers firing on the effects of triggers at a bounded depth, with a logged warning', async () => {
    const ws = await workspace('loop');
    const trigger = (from: string, to: string): string => `# yaml-language-server: $schema=../schemas/trigger.schema.json\non:\n  event: lead.updated\n  field: status\nwhen: 'status = "${from}"'\ndo:\n  - set: { status: ${to} }\n`;
    writeFileSync(join(ws, 'triggers', 'ping.yaml'), trigger('working', 'SQL'));
    writeFileSync(join(ws, 'triggers', 'pong.yaml'), trigger('SQL', 'working'));
    await tick(ws, DAY1);
    expect((await cadence(['leads', 'set', PRIYA, 'status=working'], { cwd: ws, env: at(DAY1) })).exitCode).toBe(0);
    const result = await tick(ws, '2026-12-01T10:01:00-05:00');
    expect(result.exitCode).toBe(0);
    expect(fired(ws).filter((row) => row.lead === PRIYA).map((row) => row.trigger)).toEqual(['ping', 'pong', 'ping', 'pong', 'ping']);
    const stopped = queryStore<{ data: string }>(ws, "SELECT data FROM events WHERE type = 'trigger.loop_stopped'").map((row) => JSON.parse(row.data) as { trigger: string; depth: number; warning: string });
    expect(stopped).toHaveLength(1);
    expect(stopped[0]).toMatchObject({ trigger: 'pong', depth: 5 });
    expect(stopped[0]!.warning).toContain('do two triggers undo each other?');
    // The chain is over: the next tick has nothing left.
    expect((await tick(ws, '2026-12-01T10:02:00-05:00')).stdout).toContain('nothing was due');
  }, 60_000);
});

describe('validate and plan', () => {
  it('cadence validate checks triggers: an unknown sequence is an error with file and line', async () => {
    const ws = await workspace('invalid');
    const path = join(ws, 'triggers', 'trial-paid.yaml');
    writeFileSync(path, readFileSync(path, 'utf8').replace('remove: trial-conversion', 'remove: trial-conversrion'));
    const result = await cadence(['validate'], { cwd: ws });
    expect(result.exitCode).toBe(1);
    expect(result.stdout + result.stderr).toMatch(/triggers\/trial-paid\.yaml:\d+:\d+/);
    // A tick on it sends nothing and says why.
    expect((await tick(ws, DAY1)).exitCode).toBe(1);
  }, 30_000);

  it('triggersThatWouldFire lists unhandled events and coming dates, read-only', async () => {
    const ws = await workspace('plan');
    expect((await cadence(['leads', 'set', TOM, 'competitor=Globex'], { cwd: ws, env: at(DAY1) })).exitCode).toBe(0);
    const validation = validateWorkspace(ws);
    const triggers = new Map([...validation.workspace.triggers].flatMap(([id, source]) => (source.definition ? [[id, source.definition as TriggerDefinition] as const] : [])));
    const config = validation.workspace.config!.definition as WorkspaceConfig;
    const store = openStore(join(ws, '.cadence', 'cadence.db'), { create: false });
    try {
      const eventsBefore = (store.db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
      const plan = triggersThatWouldFire({ db: store.db, triggers, config, now: new Date(DAY1), until: new Date('2027-03-01T00:00:00Z') });
      expect(plan.map(({ trigger, lead, on, at: when }) => ({ trigger, lead, on: on.replace(/\d+/, 'N'), at: when }))).toEqual([
        { trigger: 'mql-to-inbound', lead: MARCUS, on: 'event N lead.imported', at: '2026-12-01T15:00:00.000Z' },
        { trigger: 'mql-to-inbound', lead: OLIVIA, on: 'event N lead.imported', at: '2026-12-01T15:00:00.000Z' },
        { trigger: 'lost-deal-recycle', lead: TOM, on: 'date competitor_renewal_date', at: '2027-01-30T14:00:00.000Z' },
      ]);
      expect(plan[0]!.actions).toEqual([{ enroll: 'inbound-8day' }]);
      expect((store.db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n).toBe(eventsBefore);
    } finally {
      store.close();
    }
  }, 30_000);
});
