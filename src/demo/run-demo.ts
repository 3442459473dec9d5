import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { enrollLeads, type EnrollResult } from '../engine/enroll-service.js';
import { outboxTransport } from '../channels/transport.js';
import { runTick, type TickResult } from '../engine/tick.js';
import { importLeads, type ImportReport } from '../import/run-import.js';
import { compileLeadFilter } from '../leads/where.js';
import { packageRoot } from '../package-root.js';
import { createLiquid } from '../render/liquid.js';
import { openStore } from '../store/database.js';
import { queryLeads, type Lead } from '../store/leads.js';
import { recentMessages, type MessageRecord } from '../store/messages.js';
import { activeBeforeStep } from '../store/enrollments.js';
import { openTasksWithLead, type TaskRecord } from '../store/tasks.js';
import { initWorkspace, type StarterLanguage } from '../workspace/init.js';
import type { SequenceDefinition, TemplateDefinition } from '../workspace/types.js';
import { validateWorkspace, type ValidationResult } from '../workspace/validate.js';

export interface DemoResult {
  dir: string;
  validation: ValidationResult;
  leadsFile: string;
  storePath: string;
  outboxDir: string;
  sequence: string;
  imported: ImportReport | undefined;
  leads: Lead[];
  enrolled: EnrollResult | undefined;
  days: { at: string; tick: TickResult }[];
  messages: MessageRecord[];
  tasks: (TaskRecord & { email: string })[];
}

/** At most this many days are rehearsed, one tick a day at 10:00 in the workspace's zone. */
const DEMO_DAYS = 14;

/**
 * The main job on the embedded default, in `dir`: a workspace with the starter library,
 * the sample leads imported into SQLite, the inquiry MQLs enrolled in the inbound
 * sequence, and a tick each morning from `now` — emails into the outbox folder, tasks for
 * the reps — as cron would run it, with the clock injected, until the last calls wait for
 * a rep (or two weeks have passed).
 */
export async function runDemo(dir: string, language: StarterLanguage, env: { now: Date; actor: string; pid: number }): Promise<DemoResult> {
  initWorkspace(dir, language);
  const leadsFile = join(dir, 'leads.csv');
  copyFileSync(join(packageRoot, 'examples', 'leads.csv'), leadsFile);
  const outboxDir = join(dir, '.cadence', 'outbox');
  mkdirSync(outboxDir, { recursive: true });
  const storePath = join(dir, '.cadence', 'cadence.db');
  const sequence = language === 'ja' ? 'inbound-8day-ja' : 'inbound-8day';
  const validation = validateWorkspace(dir);
  const config = validation.workspace.config?.definition;
  const empty = { dir, validation, leadsFile, storePath, outboxDir, sequence, imported: undefined, leads: [], enrolled: undefined, days: [], messages: [], tasks: [] };
  if (validation.errors > 0 || !config) return empty;
  const sequences = new Map<string, SequenceDefinition>();
  for (const [id, source] of validation.workspace.sequences) if (source.definition) sequences.set(id, source.definition);
  const templates = new Map<string, TemplateDefinition>();
  for (const [id, source] of validation.workspace.templates) if (source.definition) templates.set(id, source.definition);
  const store = openStore(storePath);
  const transport = outboxTransport(outboxDir);
  try {
    const imported = await importLeads(store, config, { file: leadsFile, map: {}, encoding: 'auto', onConflict: 'update', strict: true, dryRun: false }, { now: env.now, actor: env.actor, pid: env.pid, isAlive: () => false });
    const enrolled = enrollLeads(store, { sequenceId: sequence, sequence: sequences.get(sequence)!, config, filter: compileLeadFilter(`status = "MQL" and language = "${language}"`, config), start: env.now, dryRun: false, actor: env.actor });
    const days: DemoResult['days'] = [];
    const liquid = createLiquid();
    const first = DateTime.fromJSDate(env.now, { zone: config.timezone });
    const lastStep = sequences.get(sequence)!.steps.length - 1;
    for (let day = 0; day < DEMO_DAYS; day++) {
      const at = day === 0 ? first : first.plus({ days: day }).set({ hour: 10, minute: 0, second: 0, millisecond: 0 });
      const tick = await runTick({ store, workspace: { config, sequences, templates }, now: at.toJSDate(), transport, liquid, pid: env.pid, isAlive: () => false });
      days.push({ at: at.toISO()!, tick });
      // Stop with the last calls waiting for a rep: every lead is on the final step (the
      // break-up email, still to come) and some task is open.
      if (activeBeforeStep(store.db, sequence, lastStep) === 0 && openTasksWithLead(store.db, 1).length > 0) break;
    }
    return { ...empty, imported, leads: queryLeads(store.db, undefined), enrolled, days, messages: recentMessages(store.db, 100), tasks: openTasksWithLead(store.db, 20) };
  } finally {
    await transport.close();
    store.close();
  }
}

