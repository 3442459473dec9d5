import { DateTime } from 'luxon';
import type { SequenceDefinition, StepDefinition, WorkspaceConfig } from '../workspace/types.js';
import type { BusinessCalendar, SkippedDay } from './calendar.js';
import { addDuration, parseDuration } from './durations.js';
import { createDeliveryWindow } from './window.js';

/**
 * Where a due step lands: the next opening of its delivery window, on a business day for a
 * business-day sequence, and for an automatic email no sooner than the sequence's minimum
 * gap after the previous one nor over the weekly cap.
 */
export function placeStep(step: StepDefinition, sequence: SequenceDefinition, config: WorkspaceConfig, dueAt: Date, zone: string, closed: (date: string) => SkippedDay | undefined, emails: readonly Date[] | undefined): { at: Date; skipped: SkippedDay[] } {
  const scheduleName = step.schedule ?? sequence.schedule ?? config.default_schedule;
  const window = createDeliveryWindow(config.schedules[scheduleName]!.cron, zone);
  const skipped: SkippedDay[] = [];
  let at = dueAt;
  if (emails && emails.length > 0) {
    const gap = sequence.min_gap ?? config.limits?.min_gap_between_emails;
    if (gap) {
      const earliest = addDuration(emails.at(-1)!, parseDuration(gap), zone).at;
      if (earliest > at) at = earliest;
    }
    const cap = config.limits?.emails_per_lead_per_week;
    if (cap !== undefined) {
      for (;;) {
        const weekAgo = at.getTime() - 7 * 86_400_000;
        const recent = emails.filter((sent) => sent.getTime() > weekAgo);
        if (recent.length < cap) break;
        at = new Date(recent[0]!.getTime() + 7 * 86_400_000);
      }
    }
  }
  const key = `${scheduleName}|${zone}|${at.getTime()}|${sequence.days ?? 'business'}|${sequence.holidays ?? 'skip'}`;
  const known = openings.get(config)?.get(key);
  if (known) return { at: known.at, skipped: [...skipped, ...known.skipped] };
  const closedDays: SkippedDay[] = [];
  for (let guard = 0; guard < 400; guard++) {
    const opening = window.nextOpening(at);
    if (!opening) break;
    at = opening;
    const date = DateTime.fromJSDate(at, { zone }).toISODate()!;
    const why = closed(date);
    if (!why) break;
    closedDays.push(why);
    at = DateTime.fromISO(date, { zone }).plus({ days: 1 }).startOf('day').toJSDate();
  }
  remember(config, key, { at, skipped: closedDays });
  return { at, skipped: [...skipped, ...closedDays] };
}

/**
 * The next opening found from a moment, by schedule, zone and day rules, per loaded
 * config: a tick places thousands of steps at the same few moments (now, a cohort's day).
 */
const openings = new WeakMap<WorkspaceConfig, Map<string, { at: Date; skipped: SkippedDay[] }>>();

function remember(config: WorkspaceConfig, key: string, found: { at: Date; skipped: SkippedDay[] }): void {
  let cache = openings.get(config);
  if (!cache) openings.set(config, (cache = new Map()));
  if (cache.size >= 10_000) cache.clear();
  cache.set(key, found);
}

/**
 * Which days a sequence does not act on: a business-day sequence none but business days;
 * any sequence no public holiday or closure unless it says `holidays: send`.
 */
export function dayFilter(sequence: SequenceDefinition, calendar: BusinessCalendar): (date: string) => SkippedDay | undefined {
  if ((sequence.days ?? 'business') === 'business') return (date) => calendar.whyNot(date);
  if (sequence.holidays === 'send') return () => undefined;
  return (date) => {
    const why = calendar.whyNot(date);
    return why && why.reason !== 'weekend' ? why : undefined;
  };
}

