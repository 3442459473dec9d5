import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bin, queryStore, repoRoot, tempDir } from './helpers/cli.js';
import { taskDesk } from './helpers/task-desk.js';

/**
 * The real built CLI in a real pseudo-terminal (tmux, on a private socket): keys go in
 * with send-keys, the screen comes back with capture-pane, and the store is checked after.
 */
const temp = tempDir('cadence-tty-');
const ws = join(temp.dir, 'ws');
const socket = `cadence-test-${process.pid}`;
const tmux = (...args: string[]): string => execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
const q = <T>(sql: string, ...params: unknown[]): T[] => queryStore<T>(ws, sql, ...params);

afterAll(() => {
  try {
    tmux('kill-server');
  } catch {
    // already gone
  }
  temp.remove();
});

beforeAll(async () => {
  await taskDesk(ws);
});

async function screen(expected: string | RegExp, timeout = 15_000): Promise<string> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const text = tmux('capture-pane', '-p', '-t', 'desk');
    if (typeof expected === 'string' ? text.includes(expected) : expected.test(text)) return text;
    if (Date.now() > deadline) throw new Error(`the screen never showed ${String(expected)}; it shows:\n${text}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function keys(...sequence: string[]): Promise<void> {
  for (const key of sequence) {
    if (['Enter', 'Escape', 'Down', 'Up'].includes(key)) tmux('send-keys', '-t', 'desk', key);
    else tmux('send-keys', '-t', 'desk', '-l', key);
    await new Promise((resolve) => setTimeout(resolve, 60));
  }
}

describe('cadence tasks in a terminal', () => {
  it('works a call and a manual email with keys; the store has every action; q quits with 0', async () => {
    const editor = `${process.execPath} ${join(repoRoot, 'test', 'helpers', 'scripted-editor.mjs')}`;
    const command = [
      'env -u CI', `CADENCE_NOW=2026-12-01T15:30:00Z CADENCE_USER=alex NO_COLOR=1`,
      `EDITOR='${editor}' EDIT_FROM='Best regards,' EDIT_TO='Cheers,'`,
      `'${process.execPath}' '${bin}' tasks; echo "exited with $?"; sleep 60`,
    ].join(' ');
    tmux('new-session', '-d', '-s', 'desk', '-x', '150', '-y', '45', '-c', ws, command);

    const first = await screen('cadence tasks — alex');
    expect(first).toMatch(/\d+ open \(.*1 call.*1 manual_email.*\) · 0 overdue/);
    expect(first).toMatch(/› \d+ +12-01 10:00 call ☎ +Olivia Bennett +Northwind Traders/);

    // A call: done, no answer.
    await keys('/', 'olivia', 'Enter');
    await screen('filter "olivia": 1');
    await keys('d');
    await screen('Outcome: 1 connected');
    await keys('2');
    await screen('done: Olivia Bennett (no_answer)');
    expect(q("SELECT t.state, t.outcome, t.completed_by FROM tasks t JOIN leads l ON l.id = t.lead_id WHERE l.email = 'olivia.bennett@northwind.example.com'")).toEqual([{ state: 'done', outcome: 'no_answer', completed_by: 'alex' }]);

    // A manual email: the editor changes locked text and is refused; in full edit it is accepted; marked sent.
    await keys('/', 'priya', 'Enter');
    await screen('filter "priya": 1');
    await keys('Enter');
    await screen('email draft (outbound-personal)');
    await keys('e');
    const refused = await screen('DRAFT_LOCKED_TEXT');
    expect(refused).toContain('after region "ask"');
    expect(refused).toContain('manual_email · desk-email / personal-email');
    await keys('F');
    await screen('full edit on');
    await keys('e');
    await screen('draft saved: "Priya, your post on onboarding new reps"');
    await keys('m');
    await screen('marked sent: Priya Shah');
    expect(q("SELECT t.state, t.note FROM tasks t JOIN leads l ON l.id = t.lead_id WHERE l.email = 'priya.shah@fabrikam.example.com'")).toEqual([{ state: 'done', note: 'sent from elsewhere' }]);

    await keys('q');
    await screen('exited with 0');
  });

  it('Ctrl+C leaves the app with exit 130 (cancelled)', async () => {
    tmux('kill-session', '-t', 'desk');
    const command = ['env -u CI', `CADENCE_NOW=2026-12-01T15:30:00Z CADENCE_USER=alex NO_COLOR=1`, `'${process.execPath}' '${bin}' tasks; echo "exited with $?"; sleep 60`].join(' ');
    tmux('new-session', '-d', '-s', 'desk', '-x', '150', '-y', '45', '-c', ws, command);
    await screen('cadence tasks — alex');
    tmux('send-keys', '-t', 'desk', 'C-c');
    await screen('exited with 130');
  });
});
