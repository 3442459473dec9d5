import { didYouMean } from '../util/did-you-mean.js';
import { checkCron, checkHolidayCalendar, checkTimeZone } from './calendar-check.js';
import type { CheckContext } from './check-context.js';
import { checkTaskSettings } from './check-task-settings.js';
import { BUILTIN_LEAD_FIELDS } from './lead-fields.js';
import type { WorkspaceConfig } from './types.js';
import type { YamlFile, YamlPath } from './yaml-file.js';

/** Names import gives a meaning of its own (a do-not-contact flag, a whole kana reading to split). */
const RESERVED_FIELDS: ReadonlySet<string> = new Set(['do_not_contact', 'full_name_kana']);

/** Semantic checks of cadence.yaml: zones, calendars, cron windows and references. */
export function checkConfig(context: CheckContext): void {
  const source = context.workspace.config;
  const config = source?.definition;
  if (!source?.yaml || !config) return;
  const yaml = source.yaml;
  const { problems } = context;

  zone(context, yaml, ['timezone'], config.timezone, 'the workspace time zone');
  (config.reps ?? []).forEach((rep, index) => {
    if (rep.timezone) zone(context, yaml, ['reps', index, 'timezone'], rep.timezone, `rep "${rep.name}"'s time zone`);
  });

  const calendar = config.calendar?.holidays;
  if (calendar && context.checkCalendar) {
    const result = checkHolidayCalendar(calendar);
    if (!result.ok) {
      problems.error('CONFIG_BAD_CALENDAR', yaml.file, yaml.at(['calendar', 'holidays']), `holiday calendar ${result.message}`, result.guess ? `did you mean "${result.guess}"?` : 'use a country code such as JP or US, a region such as US-CA, or none');
    }
  }

  for (const [name, schedule] of Object.entries(config.schedules)) {
    const result = checkCron(schedule.cron, config.timezone);
    if (!result.ok) {
      problems.error('CONFIG_BAD_CRON', yaml.file, yaml.at(['schedules', name, 'cron']), `schedule "${name}": cron expression "${schedule.cron}" ${result.message}`, result.hint);
    }
  }
  scheduleRef(context, yaml, ['default_schedule'], config, config.default_schedule, 'default_schedule');

  const mailboxes = Object.keys(config.mailboxes ?? {});
  for (const [name, mailbox] of Object.entries(config.mailboxes ?? {})) {
    if (mailbox.schedule) scheduleRef(context, yaml, ['mailboxes', name, 'schedule'], config, mailbox.schedule, `mailbox "${name}"`);
    if (config.transport === 'smtp' && !mailbox.smtp) {
      problems.error('CONFIG_SMTP_MISSING', yaml.file, yaml.keyAt(['mailboxes'], name), `transport is smtp, but mailbox "${name}" has no smtp: settings`, 'add smtp: { host, port, user, password_env } to the mailbox, or set transport: outbox');
    }
  }
  if (config.transport === 'smtp' && mailboxes.length === 0) {
    problems.error('CONFIG_SMTP_MISSING', yaml.file, yaml.at(['transport']), 'transport is smtp, but no mailbox is configured', 'add a mailbox under mailboxes: with smtp: settings');
  }
  if (config.default_mailbox) mailboxRef(context, yaml, ['default_mailbox'], mailboxes, config.default_mailbox, 'default_mailbox');

  const seen = new Set<string>();
  (config.reps ?? []).forEach((rep, index) => {
    if (seen.has(rep.name)) {
      problems.error('CONFIG_DUPLICATE_REP', yaml.file, yaml.at(['reps', index, 'name']), `rep "${rep.name}" is declared twice`, 'rep names are how --as, owner and assign find a rep: make them unique');
    }
    seen.add(rep.name);
    if (rep.mailbox) mailboxRef(context, yaml, ['reps', index, 'mailbox'], mailboxes, rep.mailbox, `rep "${rep.name}"`);
  });

  checkTaskSettings(context, yaml, config);

  for (const [name, field] of Object.entries(config.lead_fields ?? {})) {
    if (BUILTIN_LEAD_FIELDS[name] || RESERVED_FIELDS.has(name)) {
      problems.error('CONFIG_FIELD_BUILTIN', yaml.file, yaml.keyAt(['lead_fields'], name), `lead field "${name}" is ${RESERVED_FIELDS.has(name) ? 'reserved (an import column with its own meaning)' : 'built in'} and cannot be redeclared`, 'remove it from lead_fields:, or choose another name');
    }
    if (field.type === 'enum' && !(field.values?.length)) {
      problems.error('CONFIG_ENUM_NO_VALUES', yaml.file, yaml.keyAt(['lead_fields'], name), `enum field "${name}" has no values`, 'list them: values: [a, b, c]');
    }
    if (field.type !== 'enum' && field.values) {
      problems.warning('CONFIG_VALUES_IGNORED', yaml.file, yaml.at(['lead_fields', name, 'values']), `field "${name}" is a ${field.type}; its values: list only applies to enum fields`);
    }
  }
}

function zone(context: CheckContext, yaml: YamlFile, path: YamlPath, value: string, subject: string): void {
  const result = checkTimeZone(value);
  if (result.ok) return;
  context.problems.error('CONFIG_BAD_TIMEZONE', yaml.file, yaml.at(path), `${subject} "${value}" is not an IANA time zone`, result.guess ? `did you mean "${result.guess}"?` : 'use a name like Asia/Tokyo or America/New_York');
}

/** A schedule name: from cadence.yaml's schedules. Shared with sequence checks. */
export function scheduleRef(context: CheckContext, yaml: YamlFile, path: YamlPath, config: WorkspaceConfig, name: string, subject: string): void {
  if (config.schedules[name]) return;
  const guess = didYouMean(name, Object.keys(config.schedules));
  context.problems.error('UNKNOWN_SCHEDULE', yaml.file, yaml.at(path), `${subject} uses schedule "${name}", which cadence.yaml does not define`, guess ? `did you mean "${guess}"?` : `define it under schedules: in cadence.yaml`);
}

/** A mailbox name: from cadence.yaml's mailboxes. Shared with sequence checks. */
export function mailboxRef(context: CheckContext, yaml: YamlFile, path: YamlPath, mailboxes: readonly string[], name: string, subject: string): void {
  if (mailboxes.includes(name)) return;
  const guess = didYouMean(name, mailboxes);
  context.problems.error('UNKNOWN_MAILBOX', yaml.file, yaml.at(path), `${subject} uses mailbox "${name}", which cadence.yaml does not define`, guess ? `did you mean "${guess}"?` : 'define it under mailboxes: in cadence.yaml');
}
