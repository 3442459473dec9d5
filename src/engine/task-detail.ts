import type { Database } from 'better-sqlite3';
import type { Liquid } from 'liquidjs';
import { DateTime } from 'luxon';
import { buildRenderContext } from '../render/context.js';
import { chooseVariant, renderTemplate } from '../render/render.js';
import { leadEvents, type StoredEvent } from '../store/events.js';
import { findLeadById, type Lead } from '../store/leads.js';
import { findTask, type TaskRecord } from '../store/tasks.js';
import type { SequenceDefinition, StepDefinition, TemplateDefinition, WorkspaceConfig } from '../workspace/types.js';
import { resolveStepTemplate } from './timing.js';

export interface TaskDetail {
  task: TaskRecord;
  lead: Lead;
  name: string;
  /** The kana reading of the name, when known (やまだ たろう). */
  kana: string | undefined;
  zone: string;
  /** The lead's local time now, like `Tue 14:05 (Asia/Tokyo)`. */
  localTime: string;
  touches: { at: string; text: string }[];
  step: StepDefinition | undefined;
  /** The call script, email draft (regions marked `[[name]]…[[/name]]`) or note, rendered with the lead's values. */
  script: { template: string; channel: string; subject: string | undefined; body: string } | { template: string | undefined; problem: string } | undefined;
}

export interface DetailWorkspace {
  config: WorkspaceConfig;
  sequences: ReadonlyMap<string, SequenceDefinition>;
  templates: ReadonlyMap<string, TemplateDefinition>;
}

/** Events that are touches: what reached the lead, or came back from them. */
const TOUCHES: Record<string, (data: Record<string, unknown>) => string> = {
  'email.sent': (data) => `email sent (${String(data.sequence ?? '')} / ${String(data.step ?? '')})`,
  'task.completed': (data) => `${String(data.type ?? 'task')} done${data.outcome ? `: ${String(data.outcome)}` : ''}${data.sent === 'elsewhere' ? ' (sent from elsewhere)' : ''}`,
  'task.skipped': (data) => `${String(data.type ?? 'task')} skipped: ${String(data.reason ?? '')}`,
  'reply.received': () => 'replied',
  'meeting.booked': () => 'meeting booked',
  'email.bounced': () => 'email bounced',
  'unsubscribe.received': () => 'unsubscribed',
  'ooo.received': () => 'out of office',
  'enrollment.started': (data) => `enrolled in ${String(data.sequence ?? '')}`,
  'lead.imported': () => 'imported',
};

/**
 * Everything the rep needs to work one task, without hunting: the lead (name with its
 * kana, company, title, phone, local time now), the last touches from the events log, the
 * step's instruction and its template rendered with the lead's values.
 */
export function taskDetail(db: Database, workspace: DetailWorkspace, liquid: Liquid, taskId: number, now: Date, token = 'TOKEN'): TaskDetail | undefined {
  const task = findTask(db, taskId);
  const lead = task ? findLeadById(db, task.leadId) : undefined;
  if (!task || !lead) return undefined;
  const { fields } = lead;
  const zone = String(fields.timezone ?? workspace.config.timezone);
  const local = DateTime.fromJSDate(now, { zone });
  const kana = [fields.last_name_kana, fields.first_name_kana].filter(Boolean).join(' ') || undefined;
  const name = String(fields.full_name ?? ([fields.first_name, fields.last_name].filter(Boolean).join(' ') || lead.email));
  const step = workspace.sequences.get(task.sequence)?.steps.find((candidate) => candidate.id === task.stepId);
  return {
    task,
    lead,
    name,
    kana,
    zone,
    localTime: local.isValid ? `${local.toFormat('ccc HH:mm')} (${zone})` : `unknown (${zone} is not a time zone)`,
    touches: touches(leadEvents(db, lead.id, 200)),
    step,
    script: step ? script(workspace, liquid, step, lead, token) : undefined,
  };
}

function touches(events: StoredEvent[]): { at: string; text: string }[] {
  return events
    .filter((event) => TOUCHES[event.type])
    .slice(0, 5)
    .map((event) => ({ at: event.at, text: TOUCHES[event.type]!((event.data ?? {}) as Record<string, unknown>) }));
}

function script(workspace: DetailWorkspace, liquid: Liquid, step: StepDefinition, lead: Lead, token: string): TaskDetail['script'] {
  const choice = resolveStepTemplate(step, lead.fields);
  if (choice.kind === 'none') return undefined;
  if (choice.kind === 'none_for_value') return { template: undefined, problem: `no template for ${choice.field} = ${String(choice.value ?? '(empty)')}` };
  const template = workspace.templates.get(choice.id);
  if (!template) return { template: choice.id, problem: `template ${choice.id} does not exist` };
  // A preview carries a placeholder unsubscribe token; a draft for sending carries its own.
  const rendered = renderTemplate(liquid, template, chooseVariant(template, choice.id, lead.email), buildRenderContext(workspace.config, lead, token));
  if (!rendered.ok) return { template: choice.id, problem: rendered.message };
  return { template: choice.id, channel: template.channel, subject: rendered.subject, body: rendered.body };
}
