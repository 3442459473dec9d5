import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Liquid } from 'liquidjs';
import { DateTime } from 'luxon';
import type { Transport } from '../channels/transport.js';
import { CadenceError } from '../errors.js';
import type { Store } from '../store/database.js';
import { findLeadById } from '../store/leads.js';
import type { CallOutcome } from '../workspace/types.js';
import type { DraftCheck } from './task-email-draft.js';
import { loadTaskList, type TaskList, type TaskListFilter } from './task-list.js';
import type { DetailWorkspace, TaskDetail } from './task-detail.js';
import { requireOpenTask } from './task-open.js';
import { repZone, type SnoozeChoice } from './task-snooze.js';
import type { UndoableAction } from './task-undo.js';

type Tools = typeof import('./task-session-tools.js');

export interface TaskSessionInput {
  store: Store;
  workspace: DetailWorkspace & { root: string };
  actor: string;
  clock: () => Date;
  filter: TaskListFilter;
}

/** A manual email being written: the rendered original (regions marked), the rep's text, and its unsubscribe token. */
export interface Draft {
  taskId: number;
  original: string;
  text: string;
  fullEdit: boolean;
  token: string;
  /** Why the last edit was refused; the email cannot go out until it is fixed. */
  problem?: string;
}

/**
 * A rep's session over the task list: the list, a task's detail, and the actions — each
 * in its own transaction, refused when the task is no longer open, and the last one
 * undoable. The terminal app drives it; tests call it directly.
 */
export class TaskSession {
  /** The last action, for undo; `'sent'` when it was an email that left (which cannot be undone). */
  private last: UndoableAction | 'sent' | undefined;
  private liquid: Liquid | undefined;
  private loaded: Tools | undefined;
  private loading: Promise<void> | undefined;

  constructor(private readonly input: TaskSessionInput) {}

  /** Loads what actions and the detail need; the list works before, so the first frame comes sooner. */
  prepare(): Promise<void> {
    this.loading ??= import('./task-session-tools.js').then((tools) => {
      this.loaded = tools;
    });
    return this.loading;
  }

  get ready(): boolean {
    return this.loaded !== undefined;
  }

  private get tools(): Tools {
    if (!this.loaded) throw new CadenceError('TASK_LIST_LOADING', 'the task list is still loading', { hint: 'press the key again in a moment' });
    return this.loaded;
  }

  get actor(): string {
    return this.input.actor;
  }

  /** The zone the rep reads times in. */
  zoneFor(owner: string | null): string {
    return repZone(this.input.workspace.config, this.input.actor, owner);
  }

  list(): TaskList {
    return loadTaskList(this.input.store.db, this.input.workspace.config, this.input.filter, this.input.clock(), this.input.actor);
  }

  detail(taskId: number): TaskDetail | undefined {
    this.liquid ??= this.tools.createMarkingLiquid();
    return this.tools.taskDetail(this.input.store.db, this.input.workspace, this.liquid, taskId, this.input.clock(), this.readDraft(taskId)?.token);
  }

  /** What undo would take back, if anything. */
  get lastAction(): string | undefined {
    return this.last === 'sent' ? 'an email sent' : this.last?.description;
  }

  done(taskId: number, outcome?: CallOutcome, meetingAt?: Date): string {
    const { store, workspace } = this.input;
    return this.act(taskId, 'task.completed', (name) => `done: ${name}${outcome ? ` (${outcome})` : ''}`, (now) => {
      const task = requireOpenTask(store.db, taskId);
      if (outcome === 'meeting_booked') {
        if (!meetingAt) throw new CadenceError('TASK_NEEDS_MEETING', 'a booked meeting needs its date and time', { hint: 'enter it like 2026-12-15 14:00' });
        const lead = findLeadById(store.db, task.leadId)!;
        const zone = this.zoneFor(task.owner);
        this.tools.setLeadFields(store, workspace.config, lead.email, [`meeting_at=${DateTime.fromJSDate(meetingAt, { zone }).toISO({ suppressMilliseconds: true })}`], [], now, this.input.actor);
      }
      const result = this.tools.completeManualStep(store, { taskId, outcome, config: workspace.config, sequences: workspace.sequences, now, actor: this.input.actor });
      return result.branch;
    });
  }

  skip(taskId: number, reason: string): string {
    if (reason.trim() === '') throw new CadenceError('TASK_NEEDS_REASON', 'a skip needs a reason', { hint: 'type why, then Enter' });
    const { store, workspace } = this.input;
    return this.act(taskId, 'task.skipped', (name) => `skipped: ${name}`, (now) => {
      this.tools.skipTask(store, { taskId, reason: reason.trim(), config: workspace.config, sequences: workspace.sequences, now, actor: this.input.actor });
      return `reason: ${reason.trim()}`;
    });
  }

  snooze(taskId: number, choice: SnoozeChoice): string {
    const { store, workspace } = this.input;
    return this.act(taskId, 'task.snoozed', (name) => `snoozed: ${name}`, (now) => {
      const task = requireOpenTask(store.db, taskId);
      const zone = this.zoneFor(task.owner);
      const result = this.tools.snoozeTask(store, { taskId, until: this.tools.snoozeUntil(choice, now, zone, workspace.config.tasks?.morning, this.tools.workspaceCalendar(workspace.config)), now, actor: this.input.actor });
      return `until ${DateTime.fromISO(result.until, { zone }).toFormat('ccc d LLL HH:mm')}${result.pastExpiry ? ' (after the step expires)' : ''}`;
    });
  }

  /** Records a reply from the task's lead: the exit rules apply at once (`cadence log EMAIL reply`). */
  logReply(taskId: number): string {
    const { store, workspace } = this.input;
    return this.act(taskId, 'reply.logged', (name) => `reply logged: ${name}`, (now) => {
      const result = this.tools.logEngagement(store, this.leadEmail(taskId), 'reply', { sequences: workspace.sequences, now, actor: this.input.actor, note: `from task ${taskId}` });
      return result.exited.length ? `exited ${result.exited.join(', ')}` : 'no sequence exits on a reply';
    });
  }

  pause(taskId: number): string {
    const { store } = this.input;
    return this.act(taskId, 'enrollment.paused', (name) => `paused: ${name}`, (now) => {
      const task = requireOpenTask(store.db, taskId);
      this.tools.changeEnrollment(store, this.leadEmail(taskId), task.sequence, { action: 'pause' }, now, this.input.actor);
      return `in ${task.sequence} (resume with cadence resume)`;
    });
  }

  remove(taskId: number): string {
    const { store } = this.input;
    return this.act(taskId, 'enrollment.removed', (name) => `removed from the sequence: ${name}`, (now) => {
      const task = requireOpenTask(store.db, taskId);
      this.tools.changeEnrollment(store, this.leadEmail(taskId), task.sequence, { action: 'unenroll' }, now, this.input.actor);
      return task.sequence;
    });
  }

  /** Completes a manual email the rep sent from their own mail program. */
  markSent(taskId: number): string {
    const { store, workspace } = this.input;
    const draft = this.readDraft(taskId);
    if (draft?.problem) throw new CadenceError('DRAFT_REFUSED', `the draft was refused: ${draft.problem}`, { hint: 'press e to fix it, or F to switch to full edit' });
    const subject = draft ? this.tools.checkDraft(draft.original, draft.text, draft.fullEdit) : undefined;
    const message = this.act(taskId, 'task.completed', (name) => `marked sent: ${name}`, (now) => {
      this.tools.completeManualStep(store, { taskId, outcome: undefined, note: 'sent from elsewhere', detail: { sent: 'elsewhere', ...(subject?.ok ? { subject: subject.subject } : {}) }, config: workspace.config, sequences: workspace.sequences, now, actor: this.input.actor });
      return 'sent from elsewhere';
    });
    return message;
  }

  /**
   * Sends the accepted draft through the lead owner's mailbox with the engine's delivery
   * guarantees (`sendTaskEmail`: recorded and the task completed in one transaction, then
   * delivered; deferred, in doubt or bounced as the tick would). It cannot be undone.
   */
  async send(taskId: number, delivery: { env: NodeJS.ProcessEnv; transport?: Transport }): Promise<string> {
    const { store, workspace } = this.input;
    const draft = this.readDraft(taskId);
    if (!draft) throw new CadenceError('DRAFT_NOT_EDITED', `task ${taskId}: the email has not been written yet`, { hint: 'press e to write it in your editor, then S to send' });
    const check = this.tools.checkDraft(draft.original, draft.text, draft.fullEdit);
    if (!check.ok) throw new CadenceError('DRAFT_REFUSED', `the draft was refused: ${check.message}`, { hint: 'press e to fix it, or F to switch to full edit' });
    const lead = this.leadOf(taskId);
    const { sendTaskEmail } = await import('./send-task-email.js');
    const result = await sendTaskEmail({ store, workspace, root: workspace.root, env: delivery.env, ...(delivery.transport ? { transport: delivery.transport } : {}), taskId, subject: check.subject, body: check.body, token: draft.token, actor: this.input.actor, now: this.input.clock() });
    this.last = 'sent';
    this.forgetDraft(taskId);
    return `sent: ${lead.name} (task ${taskId}) → ${result.state}${result.error ? ` (${result.error})` : ''}, ${result.messageId}`;
  }

  undo(): string {
    if (!this.last) throw new CadenceError('UNDO_NOTHING', 'nothing to undo in this session', { hint: 'undo takes back the last action you took since opening the list' });
    if (this.last === 'sent') throw new CadenceError('UNDO_SENT', 'the last action sent an email, which cannot be called back', { hint: 'write to the lead again if something in it was wrong' });
    const last = this.last;
    this.tools.undoAction(this.input.store, last, this.input.clock(), this.input.actor);
    this.last = undefined;
    return `undone: ${last.description}`;
  }

  /** The saved draft of a manual email, if the rep has opened it in the editor. */
  readDraft(taskId: number): Draft | undefined {
    const path = this.draftPath(taskId);
    return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Draft) : undefined;
  }

  /** The draft, created from the template rendered with the lead's values the first time. */
  openDraft(taskId: number): Draft {
    const saved = this.readDraft(taskId);
    if (saved) return saved;
    const token = this.tools.newUnsubscribeToken();
    this.liquid ??= this.tools.createMarkingLiquid();
    const detail = this.tools.taskDetail(this.input.store.db, this.input.workspace, this.liquid, taskId, this.input.clock(), token);
    if (!detail) throw new CadenceError('TASK_NOT_FOUND', `there is no task ${taskId}`);
    const script = detail.script;
    if (!script || !('body' in script) || script.channel !== 'email') throw new CadenceError('TASK_NO_DRAFT', `task ${taskId} has no email template to draft from`, { hint: script && 'problem' in script ? script.problem : 'write the email in your mail program, then mark it sent' });
    const heading = [`Manual email to ${detail.name} <${detail.lead.email}> (task ${taskId})`, 'Edit the text between [[name]] and [[/name]] only; save and quit to continue.'];
    const original = this.tools.draftFileText({ subject: script.subject ?? '', body: script.body }, heading);
    const draft: Draft = { taskId, original, text: original, fullEdit: false, token };
    this.saveDraft(draft);
    return draft;
  }

  /**
   * Opens the draft in the rep's editor (`edit` runs it on a file and returns when it
   * exits) and checks the result: outside full edit, a change to locked text is refused
   * and named. The text is kept either way, so a refused edit can be fixed.
   */
  editDraft(taskId: number, edit: (file: string) => void, options: { fullEdit?: boolean } = {}): DraftCheck {
    const draft = this.openDraft(taskId);
    const fullEdit = draft.fullEdit || Boolean(options.fullEdit);
    const file = join(this.draftsDir(), `task-${taskId}.txt`);
    writeFileSync(file, fullEdit ? this.tools.unmarked(draft.text) : draft.text);
    edit(file);
    const text = readFileSync(file, 'utf8');
    const check = this.tools.checkDraft(draft.original, text, fullEdit);
    const { problem: _previous, ...rest } = draft;
    this.saveDraft({ ...rest, text, fullEdit, ...(check.ok ? {} : { problem: check.message }) });
    return check;
  }

  private act(taskId: number, action: string, describe: (name: string) => string, apply: (now: Date) => string): string {
    const now = this.input.clock();
    const lead = this.leadOf(taskId);
    const { result, journal } = this.tools.journaled(this.input.store, () => {
      requireOpenTask(this.input.store.db, taskId);
      return apply(now);
    });
    const description = `${describe(lead.name)} (task ${taskId})`;
    this.last = { action, description, taskId, leadId: lead.id, journal };
    return `${description} → ${result}`;
  }

  private leadOf(taskId: number): { id: number; name: string } {
    const task = requireOpenTask(this.input.store.db, taskId);
    const lead = findLeadById(this.input.store.db, task.leadId);
    return { id: task.leadId, name: String(lead?.fields.full_name ?? lead?.email ?? `lead ${task.leadId}`) };
  }

  private leadEmail(taskId: number): string {
    const task = requireOpenTask(this.input.store.db, taskId);
    return findLeadById(this.input.store.db, task.leadId)!.email;
  }

  /** A finished email's draft is removed: it holds the lead's data, which erasure must be able to reach. */
  private forgetDraft(taskId: number): void {
    for (const name of [`task-${taskId}.json`, `task-${taskId}.txt`]) rmSync(join(this.input.workspace.root, '.cadence', 'drafts', name), { force: true });
  }

  private draftsDir(): string {
    const dir = join(this.input.workspace.root, '.cadence', 'drafts');
    mkdirSync(dir, { recursive: true });
    return dir;
  }

  private draftPath(taskId: number): string {
    return join(this.input.workspace.root, '.cadence', 'drafts', `task-${taskId}.json`);
  }

  private saveDraft(draft: Draft): void {
    const path = join(this.draftsDir(), `task-${draft.taskId}.json`);
    writeFileSync(`${path}.tmp`, JSON.stringify(draft));
    renameSync(`${path}.tmp`, path);
  }
}
