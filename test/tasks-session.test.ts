import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cadence, queryStore, repoRoot, tempDir } from './helpers/cli.js';
import { errorCode } from './helpers/errors.js';
import { OLIVIA, PRIYA, openSession, taskDesk } from './helpers/task-desk.js';
import { runEditor } from '../src/tui/editor.js';

const temp = tempDir('cadence-desk-');
afterAll(() => temp.remove());
const ws = join(temp.dir, 'ws');
const NOW = '2026-12-01T15:30:00Z';
const q = <T>(sql: string, ...params: unknown[]): T[] => queryStore<T>(ws, sql, ...params);
const taskOf = (email: string): number => q<{ id: number }>("SELECT t.id FROM tasks t JOIN leads l ON l.id = t.lead_id WHERE l.email = ? AND t.state = 'open' ORDER BY t.id LIMIT 1", email)[0]!.id;
const editor = (env: Record<string, string>) => (file: string) => runEditor(file, { ...process.env, EDITOR: `${process.execPath} ${join(repoRoot, 'test', 'helpers', 'scripted-editor.mjs')}`, ...env });

beforeAll(async () => {
  await taskDesk(ws);
});

describe('the task list session', () => {
  it('books a meeting: sets meeting_at as `leads set` logs it, follows the branch; undo puts everything back', async () => {
    const { session, store } = await openSession(ws, NOW);
    try {
      const call = taskOf(OLIVIA);
      expect(session.list().tasks.map((task) => task.id)).toContain(call);
      const message = session.done(call, 'meeting_booked', new Date('2026-12-08T19:00:00Z'));
      expect(message).toContain('exit (meeting_booked)');
      expect(q("SELECT json_extract(custom, '$.meeting_at') AS at FROM leads WHERE email = ?", OLIVIA)).toEqual([{ at: '2026-12-08T14:00:00.000-05:00' }]);
      const [updated] = q<{ data: string; actor: string }>("SELECT data, actor FROM events WHERE type = 'lead.updated' ORDER BY id DESC LIMIT 1");
      expect(JSON.parse(updated!.data)).toEqual({ changes: { meeting_at: [null, '2026-12-08T14:00:00.000-05:00'] } });
      expect(updated!.actor).toBe('alex');
      expect(q("SELECT e.sequence, e.state FROM enrollments e JOIN leads l ON l.id = e.lead_id WHERE l.email = ? ORDER BY e.id", OLIVIA)).toEqual([
        { sequence: 'desk-call', state: 'exited' },
        { sequence: 'meeting-reminder', state: 'active' },
      ]);

      expect(session.undo()).toContain('undone: done: Olivia Bennett (meeting_booked)');
      expect(q('SELECT state, outcome FROM tasks WHERE id = ?', call)).toEqual([{ state: 'open', outcome: null }]);
      expect(q("SELECT json_extract(custom, '$.meeting_at') AS at FROM leads WHERE email = ?", OLIVIA)).toEqual([{ at: null }]);
      expect(q("SELECT e.sequence, e.state, e.reason FROM enrollments e JOIN leads l ON l.id = e.lead_id WHERE l.email = ? ORDER BY e.id", OLIVIA)).toEqual([
        { sequence: 'desk-call', state: 'active', reason: null },
        { sequence: 'meeting-reminder', state: 'exited', reason: 'undone' },
      ]);
      const [undone] = q<{ data: string }>("SELECT data FROM events WHERE type = 'action.undone'");
      expect(JSON.parse(undone!.data)).toMatchObject({ action: 'task.completed', task: call });
      expect(JSON.parse(q<{ data: string }>("SELECT data FROM events WHERE type = 'lead.updated' ORDER BY id DESC LIMIT 1")[0]!.data)).toEqual({ changes: { meeting_at: ['2026-12-08T14:00:00.000-05:00', null] }, reason: 'undo' });
      expect(errorCode(() => session.undo())).toBe('UNDO_NOTHING');
    } finally {
      store.close();
    }
  });

  it('refuses an action on a task that changed underneath, and an undo when a row moved since', async () => {
    const { session, store } = await openSession(ws, NOW);
    try {
      const call = taskOf(OLIVIA);
      session.snooze(call, 'hour');
      expect(q('SELECT snoozed_until FROM tasks WHERE id = ?', call)).toEqual([{ snoozed_until: '2026-12-01T16:30:00.000Z' }]);
      expect(session.list().tasks.map((task) => task.id)).not.toContain(call);
      // Someone else acts on the task from a script meanwhile.
      expect((await cadence(['task', 'done', String(call), '--outcome', 'no_answer'], { cwd: ws, env: { CADENCE_NOW: NOW } })).exitCode).toBe(0);
      expect(errorCode(() => session.undo())).toBe('UNDO_CONFLICT');
      expect(q('SELECT state, snoozed_until FROM tasks WHERE id = ?', call)).toEqual([{ state: 'done', snoozed_until: '2026-12-01T16:30:00.000Z' }]);
      expect(errorCode(() => session.skip(call, 'late'))).toBe('TASK_NOT_OPEN');
      expect(errorCode(() => session.done(call, 'connected'))).toBe('TASK_NOT_OPEN');
      expect(q('SELECT state, outcome FROM tasks WHERE id = ?', call)).toEqual([{ state: 'done', outcome: 'no_answer' }]);
    } finally {
      store.close();
    }
  });

  it('logs a reply, pauses and removes, each undone back to the open task', async () => {
    const { session, store } = await openSession(ws, NOW);
    try {
      const email = taskOf(PRIYA);
      const state = () => q("SELECT e.state, t.state AS task FROM enrollments e JOIN tasks t ON t.enrollment_id = e.id WHERE t.id = ?", email)[0];
      expect(session.logReply(email)).toContain('exited desk-email');
      expect(state()).toEqual({ state: 'exited', task: 'cancelled' });
      session.undo();
      expect(state()).toEqual({ state: 'active', task: 'open' });
      session.pause(email);
      expect(state()).toEqual({ state: 'paused', task: 'cancelled' });
      session.undo();
      session.remove(email);
      expect(state()).toEqual({ state: 'exited', task: 'cancelled' });
      session.undo();
      expect(state()).toEqual({ state: 'active', task: 'open' });
      expect(q("SELECT count(*) AS n FROM events WHERE type = 'action.undone'")).toEqual([{ n: 4 }]);
    } finally {
      store.close();
    }
  });
});

describe('the manual email editor flow', () => {
  it('refuses a change to locked text, naming the region, and keeps the draft to fix', async () => {
    const { session, store } = await openSession(ws, NOW);
    try {
      const task = taskOf(PRIYA);
      const check = session.editDraft(task, editor({ EDIT_FROM: 'Best regards,', EDIT_TO: 'Cheers,' }));
      expect(check).toMatchObject({ ok: false, code: 'DRAFT_LOCKED_TEXT', region: 'ask' });
      expect(check.ok ? '' : check.message).toContain('after region "ask"');
      expect(session.readDraft(task)?.problem).toContain('after region "ask"');
      expect(errorCode(() => session.markSent(task))).toBe('DRAFT_REFUSED');
      expect(q('SELECT state FROM tasks WHERE id = ?', task)).toEqual([{ state: 'open' }]);

      const between = session.editDraft(task, editor({ EDIT_FROM: 'Cheers,', EDIT_TO: 'Best regards,', EDIT_APPEND: '' }));
      expect(between.ok).toBe(true);
      const hi = session.editDraft(task, editor({ EDIT_FROM: 'Hi Priya,', EDIT_TO: 'Dear Priya,' }));
      expect(hi).toMatchObject({ ok: false, code: 'DRAFT_LOCKED_TEXT', region: 'hook' });
      expect(hi.ok ? '' : hi.message).toContain('between regions "subject" and "hook"');
    } finally {
      store.close();
    }
  });

  it('accepts a rewritten region, and anything in full edit; mark sent completes the task with the subject', async () => {
    const { session, store } = await openSession(ws, NOW);
    try {
      const task = taskOf(PRIYA);
      session.editDraft(task, editor({ EDIT_FROM: 'Dear Priya,', EDIT_TO: 'Hi Priya,' }));
      const ok = session.editDraft(task, editor({ EDIT_FROM: 'I read your post about onboarding five new reps this quarter.', EDIT_TO: 'Congratulations on the Fabrikam launch.' }));
      expect(ok).toMatchObject({ ok: true, subject: 'Priya, your post on onboarding new reps' });
      expect(ok.ok && ok.body).toContain('Congratulations on the Fabrikam launch.');
      expect(ok.ok && ok.body).not.toContain('[[');
      const full = session.editDraft(task, editor({ EDIT_FROM: 'Best regards,', EDIT_TO: 'Warm regards,' }), { fullEdit: true });
      expect(full).toMatchObject({ ok: true });
      expect(full.ok && full.body).toContain('Warm regards,');
      expect(session.markSent(task)).toContain('marked sent');
      expect(q('SELECT state, note FROM tasks WHERE id = ?', task)).toEqual([{ state: 'done', note: 'sent from elsewhere' }]);
      const [done] = q<{ data: string }>("SELECT data FROM events WHERE type = 'task.completed' ORDER BY id DESC LIMIT 1");
      expect(JSON.parse(done!.data)).toMatchObject({ task, sent: 'elsewhere', subject: 'Priya, your post on onboarding new reps' });
    } finally {
      store.close();
    }
  });

  it("sends the accepted draft through the owner's mailbox (outbox here), completing the task; a send cannot be undone", async () => {
    const grace = 'grace.kim@adatum.example.com';
    expect((await cadence(['enroll', 'desk-email', '--lead', grace], { cwd: ws, env: { CADENCE_NOW: NOW } })).exitCode).toBe(0);
    expect((await cadence(['tick'], { cwd: ws, env: { CADENCE_NOW: NOW } })).exitCode).toBe(0);
    const { session, store } = await openSession(ws, NOW);
    try {
      const task = taskOf(grace);
      await expect(session.send(task, { env: process.env })).rejects.toMatchObject({ code: 'DRAFT_NOT_EDITED' });
      session.editDraft(task, editor({ EDIT_FROM: 'Best regards,', EDIT_TO: 'Cheers,' }));
      await expect(session.send(task, { env: process.env })).rejects.toMatchObject({ code: 'DRAFT_REFUSED' });
      session.editDraft(task, editor({ EDIT_FROM: 'Cheers,', EDIT_TO: 'Best regards,' }));
      const ok = session.editDraft(task, editor({ EDIT_FROM: 'I read your post about onboarding five new reps this quarter.', EDIT_TO: 'Your Adatum rollout looked impressive.' }));
      expect(ok.ok).toBe(true);
      const token = session.readDraft(task)!.token;
      const message = await session.send(task, { env: process.env });
      expect(message).toMatch(/^sent: Grace Kim \(task \d+\) → sent, </);
      expect(q('SELECT state FROM tasks WHERE id = ?', task)).toEqual([{ state: 'done' }]);
      const [sent] = q<{ state: string; subject: string; unsubscribe_token: string }>("SELECT m.state, m.subject, m.unsubscribe_token FROM messages m JOIN leads l ON l.id = m.lead_id WHERE l.email = ?", grace);
      expect(sent).toEqual({ state: 'sent', subject: 'Grace, your post on onboarding new reps', unsubscribe_token: token });
      const outbox = join(ws, '.cadence', 'outbox');
      const files = readdirSync(outbox).filter((name) => name.endsWith('.eml') && readFileSync(join(outbox, name), 'utf8').includes('Your Adatum rollout looked impressive.'));
      expect(files).toHaveLength(1);
      const eml = readFileSync(join(outbox, files[0]!), 'utf8');
      expect(eml).not.toContain('[[');
      expect(eml).toContain(token);
      expect(session.readDraft(task)).toBeUndefined();
      expect(errorCode(() => session.undo())).toBe('UNDO_SENT');
    } finally {
      store.close();
    }
  });
});
