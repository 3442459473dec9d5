import { sentFolderCopies } from '../channels/sent-copies.js';
import { openTransport, type Transport } from '../channels/transport.js';
import { CadenceError } from '../errors.js';
import { isProcessAlive } from '../import/thread-messages.js';
import { buildRenderContext } from '../render/context.js';
import type { Store } from '../store/database.js';
import { appendEvent } from '../store/events.js';
import { findLeadById } from '../store/leads.js';
import { findMessage, recordMessage, stepMessage, type MessageState } from '../store/messages.js';
import { findSuppression } from '../store/suppressions.js';
import { refuseClockAhead } from './clock.js';
import { deliverQueued, type DeliveryTally } from './deliver.js';
import { newMessageId, newUnsubscribeToken, senderOf } from './sender.js';
import { completeManualStep } from './task-done.js';
import { requireOpenTask } from './task-open.js';
import type { TickWorkspace } from './tick.js';

export interface TaskEmailInput {
  store: Store;
  workspace: TickWorkspace;
  /** The workspace folder and the environment: the transport (outbox folder, SMTP credentials) comes from them unless given. */
  root: string;
  env: NodeJS.ProcessEnv;
  transport?: Transport;
  taskId: number;
  subject: string;
  /** The text as the rep finished it, footer and unsubscribe line included. */
  body: string;
  /** The unsubscribe token the draft was rendered with (see `newUnsubscribeToken`); a new one when absent. */
  token?: string;
  actor: string;
  now: Date;
}

export interface TaskEmailResult {
  messageId: string;
  /** `sent`; `queued` when the server asked to try later (the next tick retries it); `bounced` or `failed` when refused. */
  state: MessageState;
  error: string | null;
}

/**
 * Sends a manual email a rep wrote, through the lead owner's mailbox, with the engine's
 * guarantees: the message is recorded whole and the task completed in one transaction
 * (a task that changed underneath is refused), then it is delivered at once as the tick
 * delivers — retried later if the server defers it, in doubt if the process dies while
 * sending, a bounce suppressing the address.
 */
export async function sendTaskEmail(input: TaskEmailInput): Promise<TaskEmailResult> {
  const { store, workspace, now } = input;
  const { db } = store;
  const at = now.toISOString();
  const { config } = workspace;
  refuseClockAhead(now, config.transport);
  // Opened first: a missing SMTP credential refuses before anything is recorded.
  const transport = input.transport ?? (await openTransport(config, input.root, input.env));
  let recorded: { id: number; messageId: string };
  try {
    recorded = db.transaction(() => {
      const task = requireOpenTask(db, input.taskId);
      if (task.type !== 'manual_email') {
        throw new CadenceError('TASK_NOT_EMAIL', `task ${task.id} is a ${task.type} task, not a manual email`, { hint: 'only manual_email tasks are sent; complete others with `cadence task done`' });
      }
      const lead = findLeadById(db, task.leadId);
      if (!lead) throw new CadenceError('LEAD_NOT_FOUND', `the lead of task ${task.id} is gone`, { hint: 'it may have been erased' });
      const suppression = findSuppression(db, lead.email);
      if (suppression) {
        throw new CadenceError('LEAD_SUPPRESSED', `${lead.email} is suppressed (${suppression.reason}); nothing was sent`, { hint: 'skip the task instead: `cadence task skip ID --reason suppressed`' });
      }
      if (input.subject.trim() === '') throw new CadenceError('EMAIL_NO_SUBJECT', `the email for task ${task.id} has no subject`, { hint: 'write a subject line', exitCode: 2 });
      const sequence = workspace.sequences.get(task.sequence);
      const step = sequence?.steps.find((candidate) => candidate.id === task.stepId);
      const sender = senderOf(config, lead.fields.owner, sequence, step);
      const token = input.token ?? newUnsubscribeToken(now);
      const context = buildRenderContext(config, lead, token);
      const parent = step?.thread ? stepMessage(db, task.enrollmentId, step.thread) : undefined;
      const messageId = newMessageId(now, sender.address);
      const id = recordMessage(db, {
        enrollmentId: task.enrollmentId, leadId: lead.id, sequence: task.sequence, stepId: task.stepId, messageId, mailbox: sender.mailbox, from: sender.address, fromName: sender.name, to: lead.email,
        subject: input.subject, template: typeof step?.template === 'string' ? step.template : null, variant: null, threadOf: parent?.messageId ?? null, references: parent ? [...(parent.threadOf ? [parent.threadOf] : []), parent.messageId] : [],
        token, body: input.body, unsubscribeMailto: context.unsubscribe_mailto, unsubscribeUrl: context.unsubscribe_url || null, priority: 1, at,
      });
      appendEvent(db, { type: 'email.queued', at, actor: input.actor, leadId: lead.id, data: { enrollment: task.enrollmentId, sequence: task.sequence, step: task.stepId, messageId, task: task.id, manual: true } });
      completeManualStep(store, { taskId: task.id, outcome: undefined, detail: { messageId, sent: 'cadence' }, config, sequences: workspace.sequences, now, actor: input.actor });
      return { id, messageId };
    }).immediate();
  } catch (error) {
    if (!input.transport) await transport.close();
    throw error;
  }
  const tally: DeliveryTally = { emailsSent: 0, exited: 0, paused: 0, inDoubt: [], errors: [] };
  try {
    const afterDelivered = await sentFolderCopies(config, input.env);
    await deliverQueued({ store, transport, now, pid: process.pid, isAlive: isProcessAlive, sequences: workspace.sequences, config, ...(afterDelivered ? { afterDelivered } : {}) }, tally, [recorded.id]);
  } finally {
    if (!input.transport) await transport.close();
  }
  const message = findMessage(db, recorded.messageId)!;
  return { messageId: recorded.messageId, state: message.state, error: message.error };
}
