import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { cadence } from './helpers/cli.js';
import { count, csvText, dumpLeads, ENV, events, fullDumpLeads, importJson, leadRow, NOW, readStore, storeFile, Workspaces, parseCsv } from './helpers/lead-store.js';

const workspaces = new Workspaces();
beforeAll(() => workspaces.init());
afterAll(() => workspaces.removeAll());

const STACK = /\n\s+at /;

const LEADS = csvText([
  ['email', 'first_name', 'last_name', 'company', 'status', 'owner', 'interest', 'meeting_at', 'renewal_date', 'tier', 'phone', 'inquiry', 'do_not_contact'],
  ['Taro@Example.co.jp', '太郎', '山田', '㈱サンプル', 'MQL', 'alex', 'pricing', '', '2027/03/31', 'A', '+81 3-1234-5678', '', ''],
  ['hanako@example.co.jp', '花子', '佐藤', 'Acme, Inc.', 'MQL', '', 'security', '2026-12-03 10:00', '', 'B', '', 'line one\nline "two"', ''],
  ['bob@mail.example.com', 'Bob', 'Smith', 'Example Ltd', 'new', 'alex', '', '', '', '', '+44 20 7946 0000', '', ''],
  ['alice@notexample.com', 'Alice', 'Jones', 'Other', 'SQL', '', '', '', '', '', '', '', ''],
  ['under_score@x.org', 'Un', 'Der', 'X', 'lost', '', '', '', '', '', '', '', 'yes'],
  ['per%cent@x.org', 'Per', 'Cent', 'Y', 'nurture', '', '', '', '', '', '', '', ''],
]);
/** The leads as stored (by id): an import writes its rows in address order, whatever the file's order. */
const ALL = ['alice@notexample.com', 'bob@mail.example.com', 'hanako@example.co.jp', 'per%cent@x.org', 'taro@example.co.jp', 'under_score@x.org'];

/** A workspace whose store holds the six leads above (imported by the CLI). */
async function workspaceWithLeads(): Promise<string> {
  const ws = workspaces.create();
  const { exitCode, report } = await importJson(ws, workspaces.file('leads.csv', LEADS));
  if (exitCode !== 0 || report?.inserted !== ALL.length) throw new Error(`setup import failed: ${JSON.stringify(report)}`);
  return ws;
}

async function run(ws: string, ...args: string[]): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  return cadence(args, { cwd: ws, env: ENV });
}

async function listed(ws: string, where: string): Promise<{ exitCode: number; emails: string[] | undefined; stderr: string }> {
  const result = await run(ws, 'leads', '--where', where, '--json');
  return { exitCode: result.exitCode, stderr: result.stderr, emails: result.exitCode === 0 ? (JSON.parse(result.stdout) as { email: string }[]).map((lead) => lead.email) : undefined };
}

interface ShownLead {
  lead: { email: string; fields: Record<string, unknown> };
  suppression?: { kind: string; value: string; reason: string; actor: string } | null;
  events: { id: number; type: string; at: string; actor: string; data: Record<string, unknown> | null }[];
}

async function show(ws: string, email: string): Promise<ShownLead> {
  const result = await run(ws, 'leads', 'show', email, '--json');
  if (result.exitCode !== 0) throw new Error(`leads show ${email}: ${result.stderr}`);
  return JSON.parse(result.stdout) as ShownLead;
}


describe('cadence leads --where', () => {
  let ws: string;
  beforeAll(async () => {
    ws = await workspaceWithLeads();
  });

  it('filters by a condition', async ({ expect }) => {
    expect(await listed(ws, 'status = "MQL"')).toMatchObject({ exitCode: 0, emails: ['hanako@example.co.jp', 'taro@example.co.jp'] });
    expect(await listed(ws, 'status in ("SQL", "lost") and company contains "o"')).toMatchObject({ exitCode: 0, emails: ['alice@notexample.com'] });
    const table = await run(ws, 'leads', '--where', 'status = "MQL"');
    expect(table.exitCode).toBe(0);
    expect(table.stdout).toMatch(/^taro@example\.co\.jp +山田 太郎 +㈱サンプル +MQL +alex$/m);
    expect(table.stdout).not.toContain('bob@mail.example.com');
    expect(table.stdout).toMatch(/^2 leads$/m);
  });

  it.concurrent.for([
    ['status = "x" or 1=1 --'],
    ["status = 'x' or '1'='1'"],
    ['status = "MQL"; DROP TABLE leads; --'],
    ['status = "MQL") or (1=1'],
    ['1 = 1'],
    ['status = "x" or email'],
    ['status = "x" union select * from leads'],
    ["status = 'MQL'' or ''1''=''1'"],
  ] as [string][])('cannot be turned into other SQL: %s is a syntax error', async ([where], { expect }) => {
    const result = await listed(ws, where);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/^error COND_SYNTAX /m);
    expect(result.stderr).not.toMatch(STACK);
  });

  it.concurrent.for([
    ['status = "x\' OR \'1\'=\'1"', []],
    ['status = "MQL\\" or 1=1 --"', []],
    ['email contains "%"', ['per%cent@x.org']],
    ['email contains "_"', ['under_score@x.org']],
    ['email starts with "%"', []],
    ['company contains "\'; DROP TABLE leads; --"', []],
  ] as [string, string[]][])('cannot be turned into other SQL: %s matches only what it says', async ([where, expected], { expect }) => {
    expect(await listed(ws, where)).toMatchObject({ exitCode: 0, emails: expected });
  });

  it('still has every lead after the attempts above', async ({ expect }) => {
    expect(await listed(ws, 'email contains "@"')).toMatchObject({ exitCode: 0, emails: ALL });
  });

  it('names an unknown field with a suggestion, exit 2', async ({ expect }) => {
    const result = await listed(ws, 'stauts = "MQL"');
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('error COND_UNKNOWN_FIELD  --where: "stauts" is not a lead field (column 1)');
    expect(result.stderr).toContain('hint: did you mean "status"?');
    expect(result.stderr).not.toMatch(STACK);
  });
});

describe.concurrent('cadence leads show and set', () => {
  it('shows fields, suppression and the timeline as JSON', async ({ expect }) => {
    const ws = await workspaceWithLeads();
    const hanako = await show(ws, 'HANAKO@example.co.jp');
    expect(hanako.lead.email).toBe('hanako@example.co.jp');
    expect(hanako.lead.fields).toEqual({
      first_name: '花子',
      last_name: '佐藤',
      full_name: '佐藤 花子',
      company: 'Acme, Inc.',
      status: 'MQL',
      interest: 'security',
      meeting_at: '2026-12-03T10:00:00.000-05:00',
      tier: 'B',
      inquiry: 'line one\nline "two"',
      timezone: 'America/New_York',
      language: 'en',
    });
    expect(hanako.suppression ?? null).toBeNull();
    expect(hanako.events.map((event) => [event.type, event.actor, event.at, event.data])).toEqual([['lead.imported', 'tester', NOW, { import: 1, line: 3 }]]);

    const suppressed = await show(ws, 'under_score@x.org');
    expect(suppressed.suppression).toMatchObject({ kind: 'address', value: 'under_score@x.org', reason: 'do_not_contact', actor: 'tester' });
    expect(suppressed.events.map((event) => event.type)).toEqual(['suppression.added', 'lead.imported']);

    const missing = await run(ws, 'leads', 'show', 'nobody@example.com');
    expect(missing.exitCode).toBe(1);
    expect(missing.stderr).toContain('error LEAD_NOT_FOUND  no lead with the address nobody@example.com');
  });

  it('sets fields and logs one lead.updated event with the changes; --unset clears', async ({ expect }) => {
    const ws = await workspaceWithLeads();
    const set = await cadence(['leads', 'set', 'taro@example.co.jp', 'status=SQL', 'meeting_at=2026-12-03T10:00+09:00'], { cwd: ws, env: { ...ENV, CADENCE_USER: 'sato' } });
    expect(set.exitCode).toBe(0);
    expect(set.stdout).toBe('status: MQL → SQL\nmeeting_at: (empty) → 2026-12-02T20:00:00.000-05:00');
    const lastEvent = readStore(ws, (db) => {
      const lead = leadRow(db, 'taro@example.co.jp')!;
      expect(lead.status).toBe('SQL');
      expect(JSON.parse(String(lead.custom))).toMatchObject({ meeting_at: '2026-12-02T20:00:00.000-05:00', interest: 'pricing' });
      const updated = events(db).filter((event) => event.type === 'lead.updated');
      expect(updated).toEqual([
        {
          id: expect.any(Number),
          type: 'lead.updated',
          at: NOW,
          actor: 'sato',
          lead_id: lead.id,
          data: { changes: { status: ['MQL', 'SQL'], meeting_at: [null, '2026-12-02T20:00:00.000-05:00'] } },
        },
      ]);
      return updated[0]!.id;
    });
    expect((await show(ws, 'taro@example.co.jp')).events[0]).toMatchObject({ id: lastEvent, type: 'lead.updated' });

    const unset = await run(ws, 'leads', 'set', 'taro@example.co.jp', '--unset', 'company', '--unset', 'interest');
    expect(unset.exitCode).toBe(0);
    readStore(ws, (db) => {
      const lead = leadRow(db, 'taro@example.co.jp')!;
      expect(lead.company).toBeNull();
      expect(JSON.parse(String(lead.custom))).not.toHaveProperty('interest');
      expect(events(db, lastEvent).map((event) => event.data)).toEqual([{ changes: { company: ['㈱サンプル', null], interest: ['pricing', null] } }]);
    });
  });

  describe('an invalid value', () => {
    let ws: string;
    beforeAll(async () => {
      ws = await workspaceWithLeads();
    });

    it.concurrent.for([
      [['status=Hot']],
      [['interest=cheap']],
      [['meeting_at=tomorrow']],
      [['renewal_date=2026-02-30']],
      [['status=SQL', 'interest=cheap']],
      [['email=other@example.com']],
      [['stauts=SQL']],
    ] as [string[]][])('changes nothing and exits 2: %j', async ([assignments], { expect }) => {
      const before = readStore(ws, (db) => ({ leads: fullDumpLeads(db), events: count(db, 'SELECT count(*) AS n FROM events') }));
      const result = await run(ws, 'leads', 'set', 'taro@example.co.jp', ...assignments);
      expect(result.exitCode).toBe(2);
      expect(result.stderr).toMatch(/^error LEAD_SET_INVALID {2}nothing was changed: /m);
      expect(result.stderr).not.toMatch(STACK);
      expect(readStore(ws, (db) => ({ leads: fullDumpLeads(db), events: count(db, 'SELECT count(*) AS n FROM events') }))).toEqual(before);
    });
  });
});

describe.concurrent('cadence leads forget', () => {
  it('refuses what is not an address, and an address no lead has unless --force', async ({ expect }) => {
    const ws = workspaces.create();
    const bad = await run(ws, 'leads', 'forget', 'not an email', '--yes');
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain('LEAD_FORGET_BAD_ADDRESS');
    const unknown = await run(ws, 'leads', 'forget', 'nobody@example.com', '--yes');
    expect(unknown.exitCode).toBe(1);
    expect(unknown.stderr).toContain('LEAD_NOT_FOUND');
    const forced = await run(ws, 'leads', 'forget', 'nobody@example.com', '--yes', '--force');
    expect(forced.exitCode).toBe(0);
    expect(forced.stdout).toContain('it is now suppressed');
  });

  const ADDRESS = 'taro@example.co.jp';
  const needles = [ADDRESS, ADDRESS.toUpperCase()].map((text) => Buffer.from(text, 'latin1'));

  function filesUnder(dir: string): string[] {
    if (!existsSync(dir)) return [];
    return (readdirSync(dir, { recursive: true }) as string[]).map((name) => join(dir, name)).filter((path) => statSync(path).isFile());
  }

  /** The database files and outbox files that hold the address (in either case), as raw bytes. */
  function traces(ws: string): string[] {
    const files = [...['', '-wal', '-shm'].map((suffix) => storeFile(ws) + suffix).filter((path) => existsSync(path)), ...filesUnder(join(ws, '.cadence', 'outbox'))];
    return files.filter((path) => {
      const bytes = readFileSync(path);
      return needles.some((needle) => bytes.includes(needle));
    });
  }

  it('leaves no trace of the address in the database files or the outbox, and keeps the person out', async ({ expect }) => {
    const ws = await workspaceWithLeads();
    const outbox = join(ws, '.cadence', 'outbox', '2026-12-01');
    mkdirSync(outbox, { recursive: true });
    writeFileSync(join(outbox, '0001-taro.eml'), `From: alex@example.com\r\nTo: =?UTF-8?B?5bGx55Sw?= <${ADDRESS.toUpperCase()}>\r\nSubject: hello\r\n\r\nDear Taro\r\n`);
    writeFileSync(join(outbox, '0002-hanako.eml'), 'From: alex@example.com\r\nTo: hanako@example.co.jp\r\nSubject: hello\r\n\r\nDear Hanako\r\n');
    // More copies of the address: in a field, in an update event, in a suppression.
    expect((await run(ws, 'leads', 'set', ADDRESS, `inquiry=please write to ${ADDRESS} only`, 'status=SQL')).exitCode).toBe(0);
    expect((await run(ws, 'suppress', ADDRESS, '--reason', 'asked by phone')).exitCode).toBe(0);
    expect(traces(ws)).toEqual([storeFile(ws), join(outbox, '0001-taro.eml')]); // the check sees the address where it is

    const unconfirmed = await run(ws, 'leads', 'forget', 'Taro@Example.co.jp');
    expect(unconfirmed.exitCode).toBe(2);
    expect(unconfirmed.stderr).toContain('LEAD_FORGET_UNCONFIRMED');
    const forget = await run(ws, 'leads', 'forget', 'Taro@Example.co.jp', '--yes');
    expect(forget.exitCode).toBe(0);
    expect(forget.stdout).toBe(`erased ${ADDRESS}: the lead, 3 events, 1 outbox messages and 0 drafts; the address stays suppressed`);
    expect(traces(ws)).toEqual([]);
    expect(filesUnder(join(ws, '.cadence', 'outbox'))).toEqual([join(outbox, '0002-hanako.eml')]);
    readStore(ws, (db) => {
      expect(leadRow(db, ADDRESS)).toBeUndefined();
      expect(count(db, 'SELECT count(*) AS n FROM leads')).toBe(ALL.length - 1);
      expect(db.prepare("SELECT kind, reason FROM suppressions WHERE kind = 'hash'").all()).toEqual([{ kind: 'hash', reason: 'erased' }]);
      expect(events(db).filter((event) => event.type === 'lead.erased').map((event) => [event.lead_id, event.data])).toEqual([[null, { leadFound: true, eventsRemoved: 3 }]]);
    });

    const again = workspaces.file(
      'again.csv',
      csvText([
        ['Email', 'Company'],
        ['TARO@example.co.jp', 'Comeback Inc.'],
        ['new@example.co.jp', 'New'],
      ]),
    );
    const strict = await importJson(ws, again, ['--strict']);
    expect(strict.exitCode).toBe(1);
    expect(strict.report).toMatchObject({ aborted: true, errors: [{ line: 2, code: 'IMPORT_ERASED' }] });
    const reimport = await importJson(ws, again);
    expect(reimport.exitCode).toBe(0);
    expect(reimport.report).toMatchObject({ inserted: 1, refused: 1, errors: [{ line: 2, code: 'IMPORT_ERASED' }] });
    readStore(ws, (db) => expect(leadRow(db, ADDRESS)).toBeUndefined());

    const unsuppress = await run(ws, 'unsuppress', ADDRESS);
    expect(unsuppress.exitCode).toBe(1);
    expect(unsuppress.stderr).toContain('error SUPPRESSION_ERASED');
    const shown = await run(ws, 'leads', 'show', ADDRESS);
    expect(shown.exitCode).toBe(1);
    expect(shown.stderr).toContain(`error LEAD_NOT_FOUND  ${ADDRESS} was erased at the person's request`);
    expect(traces(ws)).toEqual([]);
  });
});

describe.concurrent('cadence export', () => {
  it('writes leads as CSV that imports into a fresh workspace as the same leads, with --where too', async ({ expect }) => {
    const ws = await workspaceWithLeads();
    expect((await run(ws, 'leads', 'set', 'hanako@example.co.jp', 'first_name_kana=ハナコ', 'last_name_kana=サトウ')).exitCode).toBe(0);
    const source = readStore(ws, dumpLeads);

    const mql = await run(ws, 'export', 'leads', '--where', 'status = "MQL"');
    expect(mql.exitCode).toBe(0);
    expect(parseCsv(mql.stdout).slice(1).map((row) => row[0])).toEqual(['hanako@example.co.jp', 'taro@example.co.jp']);
    const fresh = workspaces.create();
    const imported = await importJson(fresh, workspaces.file('mql.csv', mql.stdout));
    expect(imported.report).toMatchObject({ inserted: 2, refused: 0, unmapped: [] });
    expect(readStore(fresh, dumpLeads)).toEqual(source.filter((lead) => lead.status === 'MQL'));

    const all = await run(ws, 'export', 'leads');
    const everyone = workspaces.create();
    expect((await importJson(everyone, workspaces.file('all.csv', all.stdout))).report).toMatchObject({ inserted: ALL.length, refused: 0 });
    expect(readStore(everyone, dumpLeads)).toEqual(source);
  });

  it('writes the events log as CSV, all of it or the events of the leads matching --where', async ({ expect }) => {
    const ws = await workspaceWithLeads();
    expect((await run(ws, 'leads', 'set', 'bob@mail.example.com', 'status=MQL')).exitCode).toBe(0);
    const stored = readStore(ws, (db) => events(db));
    const result = await run(ws, 'export', 'events');
    expect(result.exitCode).toBe(0);
    const rows = parseCsv(result.stdout);
    expect(rows[0]).toEqual(['id', 'type', 'at', 'actor', 'lead_email', 'data']);
    expect(rows.slice(1).map((row) => [Number(row[0]), row[1], row[2], row[3]])).toEqual(stored.map((event) => [event.id, event.type, event.at, event.actor]));
    expect(rows.filter((row) => row[1] === 'lead.imported').map((row) => row[4])).toEqual(ALL);
    const update = rows.find((row) => row[1] === 'lead.updated')!;
    expect(update[4]).toBe('bob@mail.example.com');
    expect(JSON.parse(update[5]!)).toEqual({ changes: { status: ['new', 'MQL'] } });

    const filtered = await run(ws, 'export', 'events', '--where', 'owner = "alex"');
    expect(parseCsv(filtered.stdout).slice(1).map((row) => [row[1], row[4]])).toEqual([
      ['lead.imported', 'bob@mail.example.com'],
      ['lead.imported', 'taro@example.co.jp'],
      ['lead.updated', 'bob@mail.example.com'],
    ]);
  });
});

describe.concurrent('cadence suppress and unsuppress', () => {
  const suppressedLine = (text: string): string | undefined => /^(suppressed: .*|not suppressed)$/m.exec(text)?.[1];

  it('suppress @domain covers the domain and its subdomains, not look-alikes; unsuppress lifts it', async ({ expect }) => {
    const ws = await workspaceWithLeads();
    const added = await run(ws, 'suppress', '@Example.com', '--reason', 'competitor');
    expect(added.exitCode).toBe(0);
    expect(added.stdout).toBe('suppressed @example.com (competitor)');
    expect(suppressedLine((await run(ws, 'leads', 'show', 'bob@mail.example.com')).stdout)).toBe(`suppressed: competitor (domain @example.com, ${NOW} by tester)`);
    expect((await show(ws, 'bob@mail.example.com')).suppression).toMatchObject({ kind: 'domain', value: 'example.com', reason: 'competitor' });
    expect(suppressedLine((await run(ws, 'leads', 'show', 'alice@notexample.com')).stdout)).toBe('not suppressed');
    expect(suppressedLine((await run(ws, 'leads', 'show', 'taro@example.co.jp')).stdout)).toBe('not suppressed');

    const lifted = await run(ws, 'unsuppress', '@example.com');
    expect(lifted.exitCode).toBe(0);
    expect(suppressedLine((await run(ws, 'leads', 'show', 'bob@mail.example.com')).stdout)).toBe('not suppressed');
  });

  it('suppresses and unsuppresses one address, logging both', async ({ expect }) => {
    const ws = await workspaceWithLeads();
    expect((await run(ws, 'suppress', 'alice@notexample.com')).exitCode).toBe(0);
    expect((await show(ws, 'alice@notexample.com')).suppression).toMatchObject({ kind: 'address', reason: 'manual' });
    const lifted = await run(ws, 'unsuppress', 'Alice@NotExample.com');
    expect(lifted.exitCode).toBe(0);
    const shown = await show(ws, 'alice@notexample.com');
    expect(shown.suppression ?? null).toBeNull();
    expect(shown.events.map((event) => [event.type, event.data])).toEqual([
      ['suppression.removed', { kind: 'address', reason: 'manual' }],
      ['suppression.added', { kind: 'address', reason: 'manual' }],
      ['lead.imported', { import: 1, line: 6 }], // hanako's row above spans two lines
    ]);

    const notSuppressed = await run(ws, 'unsuppress', 'alice@notexample.com');
    expect(notSuppressed.exitCode).toBe(1);
    expect(notSuppressed.stderr).toContain('error SUPPRESSION_NOT_FOUND');
    const bad = await run(ws, 'suppress', 'not-an-address');
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain('error SUPPRESS_BAD_TARGET');
  });
});
