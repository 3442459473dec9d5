import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { render } from 'ink-testing-library';
import { createElement } from 'react';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { INITIAL_STATE, TaskApp, type TaskAppProps } from '../src/tui/task-app.js';
import { runEditor } from '../src/tui/editor.js';
import { displayWidth } from '../src/util/width.js';
import { cadence, queryStore, repoRoot, sampleWorkspace, tempDir } from './helpers/cli.js';
import { DAY_ONE, openSession, taskDesk } from './helpers/task-desk.js';

const temp = tempDir('cadence-tui-');
afterAll(() => temp.remove());
const ws = join(temp.dir, 'ws');
const NOW = '2026-12-01T15:30:00Z'; // Tuesday 10:30 in New York: calls are callable
const SATO = 'sato.kenji@sakura-kogyo.example.co.jp';
const q = <T>(sql: string, ...params: unknown[]): T[] => queryStore<T>(ws, sql, ...params);
const KEY = { enter: '\r', escape: '\u001B', down: '\u001B[B', up: '\u001B[A' };
const closers: (() => void)[] = [];
afterEach(() => closers.splice(0).forEach((close) => close()));

beforeAll(async () => {
  await taskDesk(ws);
  // A Japanese lead with a kana reading, for alignment and the detail pane.
  expect((await cadence(['leads', 'set', SATO, 'first_name_kana=けんじ', 'last_name_kana=さとう', 'title=営業部長'], { cwd: ws })).exitCode).toBe(0);
  expect((await cadence(['enroll', 'desk-call', '--lead', SATO], { cwd: ws, env: { CADENCE_NOW: DAY_ONE } })).exitCode).toBe(0);
  expect((await cadence(['tick'], { cwd: ws, env: { CADENCE_NOW: DAY_ONE } })).exitCode).toBe(0);
});

async function app(options: { send?: boolean; dir?: string } = {}) {
  const { session, store } = await openSession(options.dir ?? ws, NOW);
  const editor = `${process.execPath} ${join(repoRoot, 'test', 'helpers', 'scripted-editor.mjs')}`;
  const props: TaskAppProps = {
    session,
    zone: 'America/New_York',
    title: 'cadence tasks — alex',
    editDraft: (taskId, fullEdit) => session.editDraft(taskId, (file) => runEditor(file, { ...process.env, EDITOR: editor, EDIT_FROM: 'Best regards,', EDIT_TO: 'Cheers,' }), { fullEdit }),
    ...(options.send ? { sendEmail: (taskId: number) => session.send(taskId, { env: process.env }) } : {}),
  };
  const instance = render(createElement(TaskApp, props));
  closers.push(() => {
    instance.unmount();
    store.close();
  });
  const frame = async (expected: string | RegExp, timeout = 10_000): Promise<string> => {
    const deadline = Date.now() + timeout;
    for (;;) {
      const last = instance.lastFrame() ?? '';
      if (typeof expected === 'string' ? last.includes(expected) : expected.test(last)) return last;
      if (Date.now() > deadline) throw new Error(`no frame showed ${String(expected)}; the last one:\n${last}`);
      await new Promise((resolve) => setTimeout(resolve, 15));
    }
  };
  /** Presses keys one at a time, as a person does (ink reads a burst as pasted text). */
  const press = async (...keys: string[]): Promise<void> => {
    for (const key of keys) {
      instance.stdin.write(key);
      await new Promise((resolve) => setTimeout(resolve, 30));
    }
  };
  return { instance, frame, press, session };
}

const rowOf = (frame: string, text: string): string => frame.split('\n').find((line) => line.includes(text)) ?? '';

it('starts where it was left (the state kept across the editor)', async () => {
  const { session, store } = await openSession(ws, NOW);
  const priya = q<{ id: number }>("SELECT t.id FROM tasks t JOIN leads l ON l.id = t.lead_id WHERE l.email = 'priya.shah@fabrikam.example.com'")[0]!.id;
  const instance = render(createElement(TaskApp, { session, zone: 'America/New_York', title: 't', editDraft: () => 'suspended' as const, initial: { ...INITIAL_STATE, view: 'detail' as const, cursorTaskId: priya, message: { kind: 'info' as const, text: 'draft saved' } } }));
  try {
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(instance.lastFrame()).toContain(`manual_email · desk-email / personal-email (Personal email) · task ${priya}`);
    expect(instance.lastFrame()).toContain('draft saved');
  } finally {
    instance.unmount();
    store.close();
  }
});

it('Ctrl+C closes the app and says it was interrupted (the command then exits 130)', async () => {
  const { session, store } = await openSession(ws, NOW);
  let interrupted = 0;
  const instance = render(createElement(TaskApp, { session, zone: 'America/New_York', title: 't', editDraft: () => 'suspended' as const, onInterrupt: () => interrupted++ }));
  try {
    await new Promise((resolve) => setTimeout(resolve, 100));
    instance.stdin.write('\u0003');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(interrupted).toBe(1);
  } finally {
    instance.unmount();
    store.close();
  }
});

describe('the task list (ink)', () => {
  it('shows the header counts, callable calls first, and columns aligned with Japanese text', async () => {
    const { frame } = await app();
    const first = await frame('cadence tasks — alex');
    expect(first).toMatch(/3 open \(2 call, 1 manual_email\) · 0 overdue/);
    const rows = first.split('\n').filter((line) => /^[› ] \d+ /.test(line));
    // Olivia's call comes first: 10:30 in New York. Sato's waits behind the email: it is 00:30 in Tokyo.
    expect(rows.map((row) => row.match(/(call ☎|call|manual_email)/)![1])).toEqual(['call ☎', 'manual_email', 'call']);
    expect(rows[0]).toMatch(/^› .*Olivia Bennett/);
    expect(rows[2]).toContain('佐藤 健二');
    expect(rowOf(first, '佐藤')).toContain('株式会社さくら工業');
    // The company column starts at the same display column on every row, whatever the script.
    const companyColumn = (row: string, company: string): number => displayWidth(row.slice(0, row.indexOf(company)));
    expect(companyColumn(rowOf(first, '佐藤'), '株式会社さくら工業')).toBe(companyColumn(rowOf(first, 'Olivia'), 'Northwind'));
    expect(companyColumn(rowOf(first, 'Priya'), 'Fabrikam')).toBe(companyColumn(rowOf(first, 'Olivia'), 'Northwind'));
  });

  it('filters with /, shows help with ?, and moves with j/k and the arrows', async () => {
    const { frame, press, instance } = await app();
    await frame('cadence tasks');
    // Typed faster than the screen redraws: no keystroke may be lost.
    for (const key of ['/', 'f', 'a', 'b', 'r', 'i']) instance.stdin.write(key);
    expect(await frame('/fabri█')).toContain('/fabri');
    await press(KEY.enter);
    const filtered = await frame('filter "fabri": 1');
    expect(filtered).toContain('Priya Shah');
    expect(filtered).not.toContain('Olivia');
    await press(KEY.escape);
    await frame('filter cleared');
    await press('?');
    expect(await frame('Keys of the task list')).toContain('undo the last action of this session');
    await press('x');
    await frame('sequence / step');
    await press('j');
    await frame(/› \d+ .*Priya Shah/);
    await press(KEY.down, KEY.down);
    await frame(/› \d+ .*佐藤 健二/);
    await press('k', KEY.up);
    await frame(/› \d+ .*Olivia Bennett/);
  });

  it('opens the detail: lead with kana, local time, last touches, instruction and the script with the lead’s values', async () => {
    const { frame, press } = await app();
    await frame('cadence tasks');
    const id = q<{ id: number }>("SELECT t.id FROM tasks t JOIN leads l ON l.id = t.lead_id WHERE l.email = ?", SATO)[0]!.id;
    await press('/', ...'sakura', KEY.enter);
    await frame('filter "sakura": 1');
    await press(KEY.enter);
    const detail = await frame('what to do');
    expect(detail).toContain(`call · desk-call / first-call (First call) · task ${id}`);
    expect(detail).toContain('佐藤 健二 (さとう けんじ) <sato.kenji@sakura-kogyo.example.co.jp>');
    expect(detail).toContain('営業部長');
    expect(detail).toMatch(/local time\s+Wed 00:30 \(Asia\/Tokyo\)/);
    expect(detail).toContain('enrolled in desk-call');
    expect(detail).toContain('Ask about their inquiry.');
    expect(detail).toContain('call script (inbound-call)');
    expect(detail).toContain('"Hi 健二, this is Alex Morgan.');
    await press(KEY.escape);
    await frame('sequence / step');
  });

  it('keeps text typed together with Enter (a paste, a slow link, an input method) and submits it', async () => {
    const { frame, press, instance } = await app();
    await frame('cadence tasks');
    instance.stdin.write('/');
    await frame('/');
    instance.stdin.write('olivia\r');
    await frame('filter "olivia": 1');
    const call = q<{ id: number }>("SELECT t.id FROM tasks t JOIN leads l ON l.id = t.lead_id WHERE l.email = 'olivia.bennett@northwind.example.com' AND t.state = 'open'")[0]!.id;
    await press('s');
    await frame('Skip: why?');
    instance.stdin.write('担当者が違う\r');
    await frame('skipped: Olivia Bennett');
    expect(q('SELECT state, note FROM tasks WHERE id = ?', call)).toEqual([{ state: 'skipped', note: '担当者が違う' }]);
    await press('u');
    await frame('undone: skipped: Olivia Bennett');
    expect(q('SELECT state FROM tasks WHERE id = ?', call)).toEqual([{ state: 'open' }]);
  });

  it('skips with a reason and undoes it; a call asks for its outcome, a booked meeting for its time', async () => {
    const { frame, press } = await app();
    await frame('cadence tasks');
    await press('/', ...'olivia', KEY.enter);
    await frame('filter "olivia": 1');
    const call = q<{ id: number }>("SELECT t.id FROM tasks t JOIN leads l ON l.id = t.lead_id WHERE l.email = 'olivia.bennett@northwind.example.com' AND t.state = 'open'")[0]!.id;
    await press('s');
    await frame('Skip: why?');
    await press(...'wrong person');
    await press(KEY.enter);
    await frame('skipped: Olivia Bennett');
    expect(q('SELECT state, note FROM tasks WHERE id = ?', call)).toEqual([{ state: 'skipped', note: 'wrong person' }]);
    await press('u');
    await frame('undone: skipped: Olivia Bennett');
    expect(q('SELECT state FROM tasks WHERE id = ?', call)).toEqual([{ state: 'open' }]);
    await press('d');
    await frame('Outcome: 1 connected');
    await press('5');
    await frame('Meeting date and time (YYYY-MM-DD HH:MM, America/New_York)');
    await press(...'2026-12-09 15:00', KEY.enter);
    await frame('done: Olivia Bennett (meeting_booked)');
    expect(q("SELECT json_extract(custom, '$.meeting_at') AS at FROM leads WHERE email = 'olivia.bennett@northwind.example.com'")).toEqual([{ at: '2026-12-09T15:00:00.000-05:00' }]);
    expect(q('SELECT state, outcome FROM tasks WHERE id = ?', call)).toEqual([{ state: 'done', outcome: 'meeting_booked' }]);
  });

  it('snoozes until tomorrow morning in the rep’s zone, and the task leaves the list', async () => {
    const { frame, press } = await app();
    await frame('cadence tasks');
    await press('/', ...'sakura', KEY.enter);
    await frame('filter "sakura": 1');
    await press('z');
    await frame('Snooze: 1 one hour');
    await press('2');
    await frame('snoozed: 佐藤 健二');
    expect(q('SELECT snoozed_until FROM tasks t JOIN leads l ON l.id = t.lead_id WHERE l.email = ?', SATO)).toEqual([{ snoozed_until: '2026-12-02T14:00:00.000Z' }]);
    expect(await frame('filter "sakura": 0')).toContain('No open tasks here');
    await press('u');
    await frame('filter "sakura": 1');
  });

  it('keeps the cursor on the task, not on a row number, when the list changes underneath', async () => {
    // A desk of its own: five leads with a task each (the shared desk keeps its state for the other tests).
    const dir = join(temp.dir, 'cursor');
    await sampleWorkspace(dir);
    writeFileSync(join(dir, 'sequences', 'desk-many.yaml'), '# yaml-language-server: $schema=../schemas/sequence.schema.json\nname: Many\ndays: calendar\nschedule: anytime\nsteps:\n  - { id: todo, type: task, day: 1, instruction: Check the account. }\n');
    const leads = ['olivia.bennett@northwind.example.com', 'marcus.lee@contoso.example.com', 'priya.shah@fabrikam.example.com', 'daniel.okafor@tailspin.example.com', 'grace.kim@adatum.example.com'];
    expect((await cadence(['enroll', 'desk-many', ...leads.flatMap((lead) => ['--lead', lead])], { cwd: dir, env: { CADENCE_NOW: DAY_ONE } })).exitCode).toBe(0);
    expect((await cadence(['tick'], { cwd: dir, env: { CADENCE_NOW: DAY_ONE } })).exitCode).toBe(0);
    const { frame, press } = await app({ dir });
    const ids = (text: string): number[] => text.split('\n').flatMap((line) => { const id = /^[› ] (\d+) /.exec(line)?.[1]; return id ? [Number(id)] : []; });
    const order = ids(await frame(/5 open/));
    expect(order).toHaveLength(5);
    await press('j', 'j');
    await frame(new RegExp(`^› ${order[2]} `, 'm'));
    // Someone else skips the first task; then the rep snoozes the one under the cursor.
    expect((await cadence(['task', 'skip', String(order[0]), '--reason', 'done by a colleague'], { cwd: dir, env: { CADENCE_NOW: NOW } })).exitCode).toBe(0);
    await press('z', '1');
    // The cursor is on the task that followed the snoozed one, not one further down.
    await frame(new RegExp(`^› ${order[3]} `, 'm'));
  });

  it('refuses an action on a task that changed underneath, with the reason, and drops it from the list', async () => {
    const { frame, press } = await app();
    await frame('cadence tasks');
    await press('/', ...'sakura', KEY.enter);
    await frame('filter "sakura": 1');
    const id = q<{ id: number }>("SELECT t.id FROM tasks t JOIN leads l ON l.id = t.lead_id WHERE l.email = ? AND t.state = 'open'", SATO)[0]!.id;
    expect((await cadence(['log', SATO, 'reply'], { cwd: ws, env: { CADENCE_NOW: NOW } })).exitCode).toBe(0);
    await press('s', ...'late', KEY.enter);
    const refused = await frame('TASK_NOT_OPEN');
    expect(refused).toContain(`task ${id} is cancelled`);
    expect(refused).toContain('filter "sakura": 0');
    expect(q('SELECT state, note FROM tasks WHERE id = ?', id)).toEqual([{ state: 'cancelled', note: 'reply' }]);
  });

  it('edits a manual email: a locked-text change is refused and named; sending is disabled without a mailbox path', async () => {
    const { frame, press } = await app();
    await frame('cadence tasks');
    await press('/', ...'priya', KEY.enter);
    await frame('filter "priya": 1');
    await press(KEY.enter);
    const draft = await frame('email draft (outbound-personal)');
    expect(draft).toContain('Subject: Priya, your post on onboarding new reps');
    expect(draft).toContain('Hi Priya,');
    await press('e');
    const refused = await frame('DRAFT_LOCKED_TEXT');
    expect(refused).toContain('after region "ask"');
    expect(refused).toContain('refused: the locked text after region "ask"');
    await press('S');
    await frame('sending from the task list is not available yet');
    expect(q("SELECT state FROM tasks t JOIN leads l ON l.id = t.lead_id WHERE l.email = 'priya.shah@fabrikam.example.com'")).toEqual([{ state: 'open' }]);
  });

  it("sends a manual email written in full edit through the owner's mailbox", { timeout: 90_000 }, async () => {
    const { frame, press } = await app({ send: true });
    await frame('cadence tasks');
    await press('/', ...'priya', KEY.enter);
    await frame('filter "priya": 1');
    await press(KEY.enter, 'F');
    await frame('full edit on');
    // The editor is a process and sending loads the delivery path: slow on a loaded machine.
    await press('e');
    await frame('draft saved: "Priya, your post on onboarding new reps"', 30_000);
    await press('S');
    await frame(/sent: Priya Shah \(task \d+\) → sent/, 30_000);
    expect(q("SELECT t.state, m.state AS message FROM tasks t JOIN leads l ON l.id = t.lead_id JOIN messages m ON m.lead_id = l.id WHERE l.email = 'priya.shah@fabrikam.example.com'")).toEqual([{ state: 'done', message: 'sent' }]);
    await press('u');
    await frame('UNDO_SENT');
  });
});
