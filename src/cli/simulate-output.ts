import { DateTime } from 'luxon';
import type { Simulation, SimulatedStep } from '../engine/simulate.js';
import { displayWidth, padEnd } from '../util/width.js';

const STATUS: Record<SimulatedStep['status'], string> = {
  scheduled: '',
  skipped_guard: 'skipped: guard is false',
  skipped_past: 'skipped: its moment had passed',
  expired: 'expired',
  paused_missing_field: 'PAUSED',
  no_template: 'PAUSED: no template',
};

/** A simulation as a readable timeline in the lead's zone. */
export function formatSimulation(simulation: Simulation): string {
  const local = (iso: string): string => DateTime.fromISO(iso, { setZone: true }).toFormat('ccc yyyy-MM-dd HH:mm');
  const lines = [`${simulation.sequence} for ${simulation.email} (${simulation.zone}), enrolled ${local(simulation.enrolledAt)}`];
  for (const problem of simulation.entryProblems) lines.push(`  note: cadence enroll would skip this lead: ${problem}`);
  // Loops, not Math.max(...steps): a spread over an unbounded list can overflow the stack.
  let timingWidth = 0;
  let idWidth = 0;
  let typeWidth = 0;
  for (const step of simulation.steps) {
    timingWidth = Math.max(timingWidth, displayWidth(step.timing));
    idWidth = Math.max(idWidth, displayWidth(step.stepId));
    typeWidth = Math.max(typeWidth, step.type.length);
  }
  for (const step of simulation.steps) {
    const when = step.at ? local(step.at) : step.dueAt ? local(step.dueAt) : '—';
    const detail = [
      STATUS[step.status],
      step.template ? `${step.template}${step.variant ? ` (variant ${step.variant})` : ''}` : '',
      step.subject ? `"${step.subject}"` : '',
      step.guard ? `when ${step.guard.when} → ${step.guard.result}` : '',
      step.reason ?? '',
    ].filter(Boolean);
    lines.push(`  ${padEnd(step.timing, timingWidth)}  ${step.type.padEnd(typeWidth)}  ${padEnd(step.stepId, idWidth)}  ${when.padEnd(20)}  ${detail.join('  ')}`.trimEnd());
    if (step.skipped.length > 0) {
      lines.push(`  ${' '.repeat(timingWidth + typeWidth + idWidth + 6)}passed over: ${step.skipped.map((day) => `${day.date} (${day.name ?? day.reason})`).join(', ')}`);
    }
  }
  lines.push(simulation.outcome === 'finished' ? '  → finished' : '  → the enrollment would pause here until the lead has the value');
  return `${lines.join('\n')}\n`;
}
