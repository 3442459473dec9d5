import type { EnrollmentImpact } from './plan.js';
import type { PlanOutcome } from './run-plan.js';

const GROUPS: { effect: EnrollmentImpact['effects'][number]; title: string; line: (impact: EnrollmentImpact) => string }[] = [
  { effect: 'moves', title: 'leads that move to another step', line: (impact) => `${impact.moved?.from ?? impact.current.step ?? '(end)'} → ${impact.moved?.to ?? impact.planned.step ?? '(end)'}${impact.moved ? ' (its step was removed)' : ''}` },
  {
    effect: 'reschedules',
    title: 'next steps that move',
    // When the next step itself changes (its step was removed), both are named: the times are of different steps.
    line: (impact) =>
      impact.current.step === impact.planned.step
        ? `${impact.planned.step ?? '(end)'}  ${impact.current.dueAt ?? '(waits)'} → ${impact.planned.dueAt ?? '(waits)'}${impact.shiftMinutes === undefined ? '' : ` (${shift(impact.shiftMinutes)})`}`
        : `${impact.current.step ?? '(end)'} ${impact.current.dueAt ?? '(waits)'} → ${impact.planned.step ?? '(end)'} ${impact.planned.dueAt ?? '(waits)'}`,
  },
  { effect: 'changed_email', title: 'leads whose next email changed', line: (impact) => `${impact.changedEmail!.step} (template ${impact.changedEmail!.template}) ${impact.changedEmail!.at === impact.planned.dueAt ? `due ${impact.changedEmail!.at ?? '(after a task)'}` : `at this tick`}` },
  { effect: 'exits', title: 'enrollments that would exit', line: (impact) => `exited (${impact.planned.reason ?? 'no reason'}) instead of ${impact.current.state}` },
  { effect: 'pauses', title: 'enrollments that would pause', line: (impact) => `paused (${impact.planned.reason ?? 'no reason'}) instead of ${impact.current.state}` },
  { effect: 'finishes', title: 'enrollments that would finish', line: (impact) => `finished instead of ${impact.current.state}` },
  { effect: 'other_actions', title: 'other differences in what the tick does', line: (impact) => `${actionsText(impact.planned.actions)} instead of ${actionsText(impact.current.actions)}` },
];

/** The plan for a terminal or a pull-request comment (plain text). */
export function formatPlanText(plan: PlanOutcome): string {
  const target = plan.proposed.commit ? `${plan.proposed.label} (${plan.proposed.commit.slice(0, 7)})` : 'the working tree';
  const lines = [`cadence plan: ${target} against the store ${plan.store}, next tick at ${plan.now}`, ''];
  if (!plan.impact) lines.push('no impact: the next tick does the same to every enrollment in progress with and without this change');
  else lines.push(`${plan.enrollments.length} ${plan.enrollments.length === 1 ? 'enrollment is' : 'enrollments are'} affected:`);
  for (const group of GROUPS) {
    const members = plan.enrollments.filter((impact) => impact.effects.includes(group.effect));
    if (members.length === 0) continue;
    lines.push(`  ${group.title} (${members.length})`);
    for (const impact of members) lines.push(`    ${impact.email}  ${impact.sequence}  ${group.line(impact)}`);
  }
  const { triggers } = plan;
  lines.push('', `triggers that would fire from the next tick to ${triggers.until}${triggers.changed ? ' (different from what the current triggers would fire)' : ''}: ${triggers.wouldFire.length === 0 ? 'none' : triggers.wouldFire.length}`);
  for (const fire of triggers.wouldFire.slice(0, 50)) lines.push(`  ${fire.trigger}  ${fire.lead}  on ${fire.on}  at ${fire.at}  do ${fire.actions.map((action) => JSON.stringify(action)).join(', ')}`);
  if (triggers.wouldFire.length > 50) lines.push(`  … and ${triggers.wouldFire.length - 50} more (--json lists them all)`);
  const { result, actions } = plan.nextTick;
  lines.push('', `the next tick with it: ${actions.filter((action) => action.kind === 'email').length} emails, ${result.tasksCreated} tasks, ${result.finished} finished, ${result.exited} exited, ${result.paused} paused, ${result.skipped} steps skipped`);
  for (const action of actions) lines.push(`  ${action.kind === 'email' ? `email  ${action.email}  ${action.sequence}/${action.step}  "${action.subject ?? ''}"` : `task   ${action.email}  ${action.sequence}/${action.step}  ${action.type}`}`);
  return `${lines.join('\n')}\n`;
}

function actionsText(actions: EnrollmentImpact['planned']['actions']): string {
  return actions.length === 0 ? 'nothing' : actions.map((action) => `${action.kind} ${action.step}${action.template ? ` (${action.template})` : ''}`).join(', ');
}

/** A shift in minutes as +2d 3h, -45m. */
export function shift(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  let rest = Math.abs(minutes);
  const days = Math.floor(rest / 1440);
  rest -= days * 1440;
  const hours = Math.floor(rest / 60);
  const parts = [days ? `${days}d` : '', hours ? `${hours}h` : '', rest % 60 ? `${rest % 60}m` : ''].filter(Boolean);
  return `${sign}${parts.join(' ') || '0m'}`;
}
