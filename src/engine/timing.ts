import { DateTime } from 'luxon';
import type { FieldValue } from '../store/leads.js';
import type { StepDefinition } from '../workspace/types.js';
import { addBusinessDays, nextBusinessDay, type BusinessCalendar, type SkippedDay } from './calendar.js';
import { addDuration, parseDuration } from './durations.js';

export type DueTime = { kind: 'due'; at: Date; skipped: SkippedDay[] } | { kind: 'unanchored'; field: string };

export interface TimingContext {
  enrolledAt: Date;
  /** When the previous step was completed (its email sent, its task done or skipped). */
  previousDoneAt: Date;
  /** The lead's time zone. */
  zone: string;
  /** Given for a business-day sequence: days count business days. */
  calendar: BusinessCalendar | undefined;
  fields: Readonly<Record<string, FieldValue>>;
}

/**
 * When a step becomes due (before its delivery window is applied):
 * - `day: N` — day N counted from enrollment, day 1 being the enrollment's date (or, in a
 *   business-day sequence, the first business day on or after it); due at the start of
 *   that day in the lead's zone, or at enrollment itself on day 1. It does not wait for
 *   earlier manual steps.
 * - `after: D` — D after the previous step was completed; `d` and `w` are business days
 *   in a business-day sequence, keeping the time of day.
 * - `at: { field, offset, time }` — relative to a date field of the lead (a date is
 *   midnight in the lead's zone), offset in calendar units, then set to the local time;
 *   it moves when the field changes. A lead without the field cannot be scheduled.
 */
export function stepDueAt(step: StepDefinition, context: TimingContext): DueTime {
  const { zone, calendar } = context;
  if (step.day !== undefined) {
    const enrolled = DateTime.fromJSDate(context.enrolledAt, { zone });
    const enrolledDate = enrolled.toISODate()!;
    if (calendar) {
      const first = nextBusinessDay(calendar, enrolledDate);
      const target = addBusinessDays(calendar, first.date, step.day - 1);
      return { kind: 'due', at: dayStart(target.date, zone, context.enrolledAt), skipped: [...first.skipped, ...target.skipped] };
    }
    return { kind: 'due', at: dayStart(enrolled.plus({ days: step.day - 1 }).toISODate()!, zone, context.enrolledAt), skipped: [] };
  }
  if (step.after !== undefined) {
    const duration = parseDuration(step.after);
    const business = calendar && (duration.unit === 'd' || duration.unit === 'w') ? calendar : undefined;
    const moved = addDuration(context.previousDoneAt, duration, zone, business);
    return { kind: 'due', at: moved.at, skipped: moved.skipped };
  }
  const at = step.at!;
  const anchor = anchorOf(context.fields[at.field], zone);
  if (!anchor) return { kind: 'unanchored', field: at.field };
  let moment = at.offset ? addDuration(anchor, parseDuration(at.offset), zone).at : anchor;
  if (at.time) {
    const [hour, minute] = at.time.split(':').map(Number) as [number, number];
    moment = DateTime.fromJSDate(moment, { zone }).set({ hour, minute, second: 0, millisecond: 0 }).toJSDate();
  }
  return { kind: 'due', at: moment, skipped: [] };
}

/** The start of a local date in the zone, but never before `notBefore` (day 1 starts at enrollment). */
function dayStart(date: string, zone: string, notBefore: Date): Date {
  const start = DateTime.fromISO(date, { zone }).startOf('day').toJSDate();
  return start.getTime() < notBefore.getTime() ? notBefore : start;
}

/** A lead's date (midnight in its zone) or date-time value as an instant. */
function anchorOf(value: FieldValue | undefined, zone: string): Date | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  const parsed = /^\d{4}-\d{2}-\d{2}$/.test(value) ? DateTime.fromISO(value, { zone }) : DateTime.fromISO(value, { setZone: true });
  return parsed.isValid ? parsed.toJSDate() : undefined;
}

export type StepTemplate = { kind: 'template'; id: string } | { kind: 'none' } | { kind: 'none_for_value'; field: string; value: FieldValue | undefined };

/** The template a step uses for a lead: fixed, or chosen by one of the lead's fields. */
export function resolveStepTemplate(step: StepDefinition, fields: Readonly<Record<string, FieldValue>>): StepTemplate {
  const template = step.template;
  if (template === undefined) return { kind: 'none' };
  if (typeof template === 'string') return { kind: 'template', id: template };
  const value = fields[template.by];
  const chosen = value === undefined ? undefined : template.cases[String(value)];
  if (chosen) return { kind: 'template', id: chosen };
  if (template.default) return { kind: 'template', id: template.default };
  return { kind: 'none_for_value', field: template.by, value };
}
