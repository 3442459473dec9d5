/**
 * The workspace as loaded from YAML: the shapes that `schemas/*.schema.json` describe.
 * Property names are the YAML keys (snake_case), so a file and its type read alike.
 */

/** A duration such as `30m`, `4h`, `2d`, `1w` or `3mo`; days count business or calendar days per sequence. */
export type Duration = string;
/** A duration that may be signed, for offsets from a lead's date field: `-1d`, `+90d`, `-3mo`, `30m`. */
export type Offset = string;
/** An expression in the condition language (`status = "MQL" and tier in ("A", "B")`). */
export type Condition = string;

export type FieldType = 'string' | 'number' | 'date' | 'datetime' | 'enum' | 'boolean';

export interface LeadFieldDefinition {
  type: FieldType;
  label?: string;
  description?: string;
  /** The allowed values of an `enum` field. */
  values?: string[];
  /** CSV header names that map to this field at import. */
  aliases?: string[];
}

export interface ScheduleDefinition {
  /** A 5-field cron expression of the minutes when delivery is allowed, in the lead's time zone. */
  cron: string;
  description?: string;
}

export interface SmtpSettings {
  host: string;
  port?: number;
  secure?: boolean;
  user?: string;
  user_env?: string;
  password_env?: string;
  oauth2?: {
    user?: string;
    client_id_env: string;
    client_secret_env: string;
    refresh_token_env: string;
    access_url?: string;
  };
  pool?: { max_connections?: number };
}

export interface ImapSettings {
  host: string;
  port?: number;
  secure?: boolean;
  user?: string;
  user_env?: string;
  password_env?: string;
  folders?: string[];
  sent_folder?: string;
  append_sent?: boolean;
  /** Days an out-of-office reply pauses the lead when it gives no return date that can be read (default 7). */
  ooo_days?: number;
}

export interface MailboxDefinition {
  /** The From address. */
  address: string;
  /** The From display name. */
  name?: string;
  smtp?: SmtpSettings;
  imap?: ImapSettings;
  daily_cap?: number;
  /** Minimum gap between two sends from this mailbox. */
  min_gap?: Duration;
  schedule?: string;
}

export interface RepDefinition {
  /** The short name used by `--as`, `owner` and `assign`. */
  name: string;
  display_name?: string;
  email: string;
  mailbox?: string;
  timezone?: string;
  team?: string;
  title?: string;
  phone?: string;
  signature?: string;
}

export interface SenderDefinition {
  /** The legal name of the sending company. */
  company: string;
  postal_address: string;
  /** How to opt out by hand: an email address, phone number or URL. */
  opt_out_contact: string;
  unsubscribe: {
    /** The mailto address that receives unsubscribe requests (a per-message token is added). */
    mailto: string;
    /** An https page that handles one-click unsubscribes, when the team has one. */
    https?: string;
  };
  phone?: string;
  website?: string;
}

export interface CalendarDefinition {
  /** A date-holidays country (`JP`, `US`) or country-state (`US-CA`), or `none`. */
  holidays?: string;
  /** Company closure dates (YYYY-MM-DD) that count as non-business days. */
  closures?: string[];
  /** Week days that are not business days. */
  weekend?: Weekday[];
}

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

export interface WorkspaceConfig {
  version: 1;
  name?: string;
  timezone: string;
  language?: 'en' | 'ja';
  calendar?: CalendarDefinition;
  schedules: Record<string, ScheduleDefinition>;
  default_schedule: string;
  transport: 'outbox' | 'smtp';
  outbox?: { dir?: string };
  mailboxes?: Record<string, MailboxDefinition>;
  default_mailbox?: string;
  reps?: RepDefinition[];
  sender: SenderDefinition;
  lead_fields?: Record<string, LeadFieldDefinition>;
  statuses?: string[];
  limits?: {
    emails_per_lead_per_week?: number;
    min_gap_between_emails?: Duration;
  };
  tasks?: TaskListSettings;
}

/** A sort key of the task list, applied in the order given. */
export type TaskOrderKey = 'overdue' | 'callable_calls' | 'type' | 'due_at';

/** `tasks:` in cadence.yaml: how `cadence tasks` orders the list, in plain settings. */
export interface TaskListSettings {
  /** Sort keys, first decides first. Default `[overdue, callable_calls, due_at]`. */
  order?: TaskOrderKey[];
  /** The order of task types for the `type` key. Default `[call, manual_email, linkedin, sms, task]`. */
  type_order?: StepType[];
  /** The lead's working hours (HH:MM, the lead's zone) when calls are grouped at the top. Default 09:00–18:00. */
  working_hours?: { start: string; end: string };
  /** "Tomorrow morning" for a snooze, HH:MM in the rep's zone. Default 09:00. */
  morning?: string;
}

export type StepType = 'auto_email' | 'manual_email' | 'call' | 'linkedin' | 'sms' | 'task';
export type CallOutcome = 'connected' | 'no_answer' | 'voicemail' | 'wrong_number' | 'meeting_booked';
export type Phase = 'nurturing' | 'qualification' | 'closing' | 'onboarding' | 'adoption' | 'expansion';
export type EngagementEvent = 'reply' | 'meeting_booked' | 'bounce' | 'unsubscribe' | 'ooo';

/** One action of the shared vocabulary: exactly one key. */
export type Action =
  | { enroll: string | { sequence: string; start?: Offset } }
  | { remove: string }
  | { move: string }
  | { set: Record<string, string | number | boolean | null> }
  | { clear: string[] | string }
  | { assign: string | { round_robin: string } }
  | { suppress: string | true };

/** What a call outcome leads to: the next step by default. */
export type OutcomeBranch =
  | 'next'
  | 'finish'
  | 'exit'
  | {
      goto?: string;
      exit?: string;
      finish?: boolean;
      do?: Action[];
      note?: string;
    };

export interface AtTiming {
  /** A `date` or `datetime` lead field. */
  field: string;
  offset?: Offset;
  /** Time of day (HH:MM) in the lead's time zone, applied after the offset. */
  time?: string;
}

export type TemplateRef = string | { by: string; cases: Record<string, string>; default?: string };

export interface StepDefinition {
  id: string;
  type: StepType;
  name?: string;
  day?: number;
  after?: Duration;
  at?: AtTiming;
  template?: TemplateRef;
  instruction?: string;
  when?: Condition;
  outcomes?: Partial<Record<CallOutcome, OutcomeBranch>>;
  expires_after?: Duration;
  schedule?: string;
  /** The id of an earlier email step whose thread this email replies in. */
  thread?: string;
  mailbox?: string;
}

export interface SequenceDefinition {
  name: string;
  description?: string;
  phase?: Phase;
  language?: 'en' | 'ja';
  days?: 'business' | 'calendar';
  holidays?: 'skip' | 'send';
  schedule?: string;
  mailbox?: string;
  min_gap?: Duration;
  entry?: {
    when?: Condition;
    requires?: string[];
    allow_concurrent?: boolean;
  };
  exit?: {
    events?: EngagementEvent[];
    when?: Condition;
    colleague_reply?: boolean;
  };
  on_finish?: Action[];
  steps: StepDefinition[];
}

export type TemplateChannel = 'email' | 'call' | 'linkedin' | 'sms' | 'task';

export interface TemplateVariant {
  id: string;
  weight?: number;
  subject?: string;
  body?: string;
}

export interface TemplateDefinition {
  name?: string;
  description?: string;
  channel: TemplateChannel;
  language?: 'en' | 'ja';
  subject?: string;
  body: string;
  variants?: TemplateVariant[];
}

export type TriggerEvent =
  | 'lead.imported'
  | 'lead.updated'
  | 'enrollment.finished'
  | 'enrollment.exited'
  | 'reply.received'
  | 'task.completed';

export interface TriggerDefinition {
  name?: string;
  description?: string;
  enabled?: boolean;
  on:
    | {
        event: TriggerEvent | TriggerEvent[];
        field?: string;
        sequence?: string;
        reason?: string;
        outcome?: CallOutcome;
      }
    | { date: { field: string; offset?: Offset; time?: string } };
  when?: Condition;
  do: Action[];
}
