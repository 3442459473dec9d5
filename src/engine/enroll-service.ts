import type { Store } from '../store/database.js';
import { insertEnrollment, liveEnrollments, recordSequenceVersion } from '../store/enrollments.js';
import { appendEvent } from '../store/events.js';
import { findLeadByEmail, findLeadById, queryLeadIds, type Lead } from '../store/leads.js';
import { findSuppression } from '../store/suppressions.js';
import type { SequenceDefinition, WorkspaceConfig } from '../workspace/types.js';
import { decideEnrollment } from './enroll.js';

export interface EnrollRequest {
  sequenceId: string;
  sequence: SequenceDefinition;
  config: WorkspaceConfig;
  /** The leads by address (`--lead`), or by a compiled condition (`--where`). */
  emails?: readonly string[];
  filter?: { sql: string; params: unknown[] };
  start: Date;
  dryRun: boolean;
  actor: string;
}

export interface EnrollResult {
  enrolled: { email: string; firstStep: string; dueAt: string }[];
  skipped: { email: string; reason: string }[];
}

const BATCH = 500;

/**
 * Enrolls leads in a sequence: each lead is checked by the guards and either enrolled
 * (its first step scheduled, the sequence version recorded, `enrollment.started` logged)
 * or skipped with a reason. Writes go in batches of short transactions; a dry run
 * decides the same and writes nothing.
 */
export function enrollLeads(store: Store, request: EnrollRequest): EnrollResult {
  const { db } = store;
  const result: EnrollResult = { enrolled: [], skipped: [] };
  const at = request.start.toISOString();
  let pending: (Lead | { missing: string })[] = [];
  const flush = (): void => {
    const batch = pending;
    pending = [];
    const work = db.transaction(() => {
      const version = request.dryRun ? '' : recordSequenceVersion(db, request.sequenceId, request.sequence, at);
      for (const item of batch) {
        if ('missing' in item) {
          result.skipped.push({ email: item.missing, reason: 'not found' });
          continue;
        }
        // Read again inside the transaction: another process may have enrolled the lead.
        const live = liveEnrollments(db, item.id).map((enrollment) => enrollment.sequence);
        const suppression = findSuppression(db, item.email);
        const decision = decideEnrollment(request.sequenceId, request.sequence, request.config, { email: item.email, fields: item.fields, suppressed: suppression?.reason, liveIn: live }, request.start);
        if (!decision.enroll) {
          result.skipped.push({ email: item.email, reason: decision.reason });
          continue;
        }
        const dueAt = decision.dueAt.toISOString();
        if (!request.dryRun) {
          const id = insertEnrollment(db, { leadId: item.id, sequence: request.sequenceId, version, stepIndex: decision.stepIndex, stepId: decision.stepId, dueAt, enrolledAt: at, actor: request.actor });
          appendEvent(db, { type: 'enrollment.started', at, actor: request.actor, leadId: item.id, data: { enrollment: id, sequence: request.sequenceId, version, firstStep: decision.stepId, dueAt } });
        }
        result.enrolled.push({ email: item.email, firstStep: decision.stepId, dueAt });
      }
    });
    work.immediate();
  };
  const add = (item: Lead | { missing: string }): void => {
    pending.push(item);
    if (pending.length >= BATCH) flush();
  };
  if (request.emails) {
    for (const email of request.emails) add(findLeadByEmail(db, email) ?? { missing: email });
  } else {
    // Ids first: a statement may not stay open while this connection writes.
    for (const id of queryLeadIds(db, request.filter)) {
      const lead = findLeadById(db, id);
      if (lead) add(lead);
    }
  }
  flush();
  return result;
}
