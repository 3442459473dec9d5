import { readFileSync } from 'node:fs';
import { describe, it, expect, beforeAll } from 'vitest';
import { parse } from 'yaml';
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import { loadSchemas, readSchema, SCHEMA_FILES, type LoadedSchemas } from '../src/workspace/schemas.js';

type Kind = 'config' | 'sequence' | 'template' | 'trigger';
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const KIND_BY_FILE: Record<string, Kind> = {
  'cadence.schema.json': 'config',
  'sequence.schema.json': 'sequence',
  'template.schema.json': 'template',
  'trigger.schema.json': 'trigger',
};

let loaded: LoadedSchemas;

beforeAll(() => {
  loaded = loadSchemas();
});

function validator(kind: Kind): ValidateFunction {
  return loaded.validators[kind] as ValidateFunction;
}

/** Validates and returns the errors (empty when valid). */
function errorsOf(kind: Kind, doc: unknown): ErrorObject[] {
  const validate = validator(kind);
  return validate(doc) ? [] : [...(validate.errors ?? [])];
}

function show(errors: ErrorObject[]): string {
  return errors.map((e) => `${e.instancePath || '/'} ${e.keyword} ${e.message} ${JSON.stringify(e.params)}`).join('\n');
}

/** Asserts the document is invalid with (at least) an error at `instancePath` from `keyword`. */
function expectError(kind: Kind, doc: unknown, instancePath: string, keyword: string, params?: Record<string, unknown>): ErrorObject {
  const errors = errorsOf(kind, doc);
  expect(errors.length, `expected ${kind} to be invalid`).toBeGreaterThan(0);
  const hit = errors.find(
    (e) =>
      e.instancePath === instancePath &&
      e.keyword === keyword &&
      Object.entries(params ?? {}).every(([k, v]) => (e.params as Record<string, unknown>)[k] === v),
  );
  expect(hit, `no ${keyword} error at ${instancePath}; got:\n${show(errors)}`).toBeDefined();
  return hit!;
}

/** The description of the rule an error broke (errors carry `parentSchema`: ajv `verbose`). */
function ruleOf(error: ErrorObject): string {
  return String((error.parentSchema as { description?: unknown } | undefined)?.description ?? '');
}

function expectValid(kind: Kind, doc: unknown) {
  const errors = errorsOf(kind, doc);
  expect(errors, show(errors)).toEqual([]);
}

const clone = <T>(value: T): T => structuredClone(value);

// ---------------------------------------------------------------------------------------------
// The examples of docs/formats.md, each picked by its `# yaml-language-server: $schema=` line.

interface DocExample {
  kind: Kind;
  line: number;
  doc: Record<string, unknown>;
}

function docExamples(): DocExample[] {
  const text = readFileSync(new URL('../docs/formats.md', import.meta.url), 'utf8');
  const examples: DocExample[] = [];
  for (const match of text.matchAll(/^```yaml\n([\s\S]*?)^```/gm)) {
    const source = match[1] ?? '';
    const schemaFile = /\$schema=\S*?([a-z]+\.schema\.json)/.exec(source)?.[1];
    const doc: unknown = parse(source);
    if (!schemaFile || doc === null || doc === undefined) continue; // e.g. the bare comment line
    const kind = KIND_BY_FILE[schemaFile];
    if (!kind) throw new Error(`docs/formats.md: unknown schema ${schemaFile}`);
    const line = text.slice(0, match.index).split('\n').length;
    examples.push({ kind, line, doc: doc as Record<string, unknown> });
  }
  return examples;
}

const examples = docExamples();

function example(kind: Kind): Record<string, unknown> {
  const found = examples.find((e) => e.kind === kind);
  if (!found) throw new Error(`docs/formats.md has no ${kind} example`);
  return clone(found.doc);
}

// ---------------------------------------------------------------------------------------------

describe('schema files', () => {
  const files = Object.values(SCHEMA_FILES);

  it('compile with ajv strict mode (loadSchemas)', () => {
    expect(Object.keys(loaded.validators).sort()).toEqual(['config', 'sequence', 'template', 'trigger']);
  });

  // No $id: editors then resolve `common.schema.json#/...` beside the file they opened,
  // instead of fetching it from a web address.
  it.each(files)('%s has $schema 2020-12, no $id, a title and a description', (file) => {
    const schema = readSchema(file);
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.$id).toBeUndefined();
    expect(typeof schema.title).toBe('string');
    expect(typeof schema.description).toBe('string');
  });

  it('every property (at every level, in every schema and $defs) has a description', () => {
    const missing: string[] = [];
    const walk = (node: Json, pointer: string) => {
      if (Array.isArray(node)) {
        node.forEach((item, i) => walk(item, `${pointer}/${i}`));
        return;
      }
      if (node === null || typeof node !== 'object') return;
      for (const [key, value] of Object.entries(node)) {
        const here = `${pointer}/${escapePointer(key)}`;
        if ((key === 'properties' || key === '$defs') && value && typeof value === 'object' && !Array.isArray(value)) {
          for (const [name, sub] of Object.entries(value)) {
            // `name: true` (in anyOf/then branches) only re-states a property declared beside them.
            if (sub === true) continue;
            const description = sub && typeof sub === 'object' && !Array.isArray(sub) ? sub.description : undefined;
            if (typeof description !== 'string' || description.trim() === '') {
              missing.push(`${here}/${escapePointer(name)}`);
            }
          }
        }
        walk(value, here);
      }
    };
    for (const file of files) walk(readSchema(file) as Json, `${file}#`);
    expect(missing, `properties without a description:\n${missing.join('\n')}`).toEqual([]);
  });

  it('every object schema closes its properties (additionalProperties), except the documented free-form maps', () => {
    // Free-form on purpose: none today (task-list settings are specified now).
    const freeForm = new Set<string>();
    const open: string[] = [];
    const walk = (node: Json, pointer: string, conditional: boolean) => {
      if (Array.isArray(node)) {
        node.forEach((item, i) => walk(item, `${pointer}/${i}`, conditional));
        return;
      }
      if (node === null || typeof node !== 'object') return;
      if (node.type === 'object' && !conditional && node.additionalProperties === undefined && !freeForm.has(pointer)) {
        open.push(pointer);
      }
      for (const [key, value] of Object.entries(node)) {
        // if/then/else and dependentSchemas overlay an object that is closed where it is declared.
        const overlay = conditional || ['if', 'then', 'else', 'dependentSchemas'].includes(key);
        walk(value, `${pointer}/${escapePointer(key)}`, overlay);
      }
    };
    for (const file of files) walk(readSchema(file) as Json, `${file}#`, false);
    expect(open, `object schemas without additionalProperties:\n${open.join('\n')}`).toEqual([]);
  });

  it('uses no format: email (it refuses real addresses such as taro..yamada@docomo.ne.jp)', () => {
    for (const file of files) expect(JSON.stringify(readSchema(file))).not.toMatch(/"format":\s*"email"/);
  });
});

describe('docs/formats.md examples are valid', () => {
  it('has an example of each kind', () => {
    expect(new Set(examples.map((e) => e.kind))).toEqual(new Set(['config', 'sequence', 'template', 'trigger']));
  });

  it.each(examples.map((e) => [`${e.kind} (docs/formats.md:${e.line})`, e] as const))('%s', (_name, e) => {
    expectValid(e.kind, e.doc);
  });

  it.each([
    { event: 'enrollment.finished', sequence: 'inbound-8day' },
    { event: 'enrollment.exited', reason: 'no_reply' },
    { event: 'task.completed', outcome: 'meeting_booked' },
    { date: { field: 'competitor_renewal_date', offset: '-90d', time: '09:00' } },
  ])('trigger on: %j', (on) => {
    expectValid('trigger', { on, do: [{ enroll: 'renewal' }] });
  });
});

describe('more valid documents', () => {
  it('a sequence with after/at timings, a call with every branch form, and every action form', () => {
    expectValid('sequence', {
      name: 'Closing chase',
      phase: 'closing',
      days: 'calendar',
      exit: { events: ['reply', 'ooo'], colleague_reply: true },
      on_finish: [
        { enroll: { sequence: 'nurture', start: '+2d' } },
        { remove: '*' },
        { move: 'recycle' },
        { set: { status: 'nurture', score: 3, vip: false, meeting_at: null } },
        { clear: 'meeting_at' },
        { clear: ['interest', 'tier'] },
        { assign: 'tanaka' },
        { assign: { round_robin: 'east' } },
        { suppress: true },
        { suppress: 'do_not_contact' },
      ],
      steps: [
        { id: 'form', type: 'manual_email', day: 1, template: 'application-form' },
        { id: 'chase', type: 'auto_email', after: '1d', thread: 'form', template: 'chase', mailbox: 'tanaka' },
        { id: 'thanks', type: 'auto_email', at: { field: 'meeting_at', offset: '30m' }, template: 'thanks' },
        {
          id: 'last-call',
          type: 'call',
          after: '2h',
          instruction: 'Confirm the signing date.',
          outcomes: {
            connected: 'finish',
            no_answer: 'next',
            voicemail: { note: 'Try again tomorrow.', goto: 'last-call' },
            wrong_number: 'exit',
            meeting_booked: { finish: true, do: [{ set: { stage: 'won' } }] },
          },
        },
      ],
    });
  });

  it('a non-email template without subject, and variants with weights', () => {
    expectValid('template', { channel: 'sms', body: 'Hi {{ lead.first_name }}' });
    expectValid('template', { channel: 'call', body: 'Ask about budget.', variants: [{ id: 'a', body: 'Ask about timing.' }] });
    expectValid('template', {
      channel: 'email',
      subject: 's',
      body: 'b',
      variants: [{ id: 'a', weight: 80 }, { id: 'b', weight: 20.5, subject: 't', body: 'c' }],
    });
  });

  it('cadence.yaml: OAuth2 SMTP, user_env, a Japanese carrier address, closures, US-CA holidays', () => {
    const config = example('config');
    config.transport = 'smtp';
    config.calendar = { holidays: 'US-CA', closures: ['2026-12-31'], weekend: ['fri', 'sat'] };
    config.mailboxes = {
      'sato-2': {
        address: 'taro..yamada@docomo.ne.jp',
        smtp: {
          host: 'smtp.gmail.com',
          port: 465,
          secure: true,
          user_env: 'CADENCE_SMTP_USER',
          oauth2: { client_id_env: 'GOOGLE_ID', client_secret_env: 'GOOGLE_SECRET', refresh_token_env: 'GOOGLE_REFRESH' },
          pool: { max_connections: 2 },
        },
      },
    };
    config.tasks = { order: ['overdue', 'type', 'due_at'], type_order: ['call', 'manual_email'], working_hours: { start: '08:30', end: '17:30' }, morning: '08:30' };
    expectValid('config', config);
    expectValid('config', { ...config, calendar: { holidays: 'none' } });
  });
});

describe('invalid documents', () => {
  it('an unknown property (a typo) in a step', () => {
    const sequence = example('sequence');
    (sequence.steps as Record<string, unknown>[])[0]!.tempalte = 'x';
    expectError('sequence', sequence, '/steps/0', 'additionalProperties', { additionalProperty: 'tempalte' });
  });

  it('an unknown top-level property, and a $schema key in the YAML itself', () => {
    expectError('template', { ...example('template'), chanel: 'email' }, '', 'additionalProperties', { additionalProperty: 'chanel' });
    expectError('trigger', { ...example('trigger'), $schema: '../schemas/trigger.schema.json' }, '', 'additionalProperties', {
      additionalProperty: '$schema',
    });
  });

  it('cadence.yaml without transport', () => {
    const config = example('config');
    delete config.transport;
    expectError('config', config, '', 'required', { missingProperty: 'transport' });
  });

  it('cadence.yaml with a literal SMTP password, or an unknown transport, or version 2', () => {
    const config = example('config');
    const smtp = (config.mailboxes as Record<string, Record<string, Record<string, unknown>>>).tanaka!.smtp!;
    smtp.password = 'hunter2';
    expectError('config', config, '/mailboxes/tanaka/smtp', 'additionalProperties', { additionalProperty: 'password' });
    expectError('config', { ...example('config'), transport: 'sendmail' }, '/transport', 'enum');
    expectError('config', { ...example('config'), version: 2 }, '/version', 'const');
  });

  it('cadence.yaml: user with user_env, password_env with oauth2, imap password', () => {
    const config = example('config');
    const mailbox = (config.mailboxes as Record<string, Record<string, Record<string, unknown>>>).tanaka!;
    mailbox.smtp!.user_env = 'SMTP_USER';
    mailbox.smtp!.oauth2 = { client_id_env: 'A', client_secret_env: 'B', refresh_token_env: 'C' };
    mailbox.imap!.password = 'secret';
    expectError('config', config, '/mailboxes/tanaka/smtp/user_env', 'not');
    expectError('config', config, '/mailboxes/tanaka/smtp/oauth2', 'not');
    expectError('config', config, '/mailboxes/tanaka/imap', 'additionalProperties', { additionalProperty: 'password' });
  });

  it('cadence.yaml: bad holidays, closures, weekend, sender, enum field without values, bad mailbox name', () => {
    const config = example('config');
    config.calendar = { holidays: 'jp', closures: ['2026/12/29', '2026-02-30'], weekend: ['saturday'] };
    const sender = config.sender as Record<string, unknown>;
    delete sender.postal_address;
    sender.unsubscribe = { mailto: 'not-an-address', https: 'http://example.com' };
    config.lead_fields = { tier: { type: 'enum' }, score: { type: 'number', values: ['a'] } };
    config.mailboxes = { Tanaka: { address: 'tanaka@example.co.jp' } };
    expectError('config', config, '/calendar/holidays', 'pattern');
    expectError('config', config, '/calendar/closures/0', 'pattern');
    expectError('config', config, '/calendar/closures/1', 'format');
    expectError('config', config, '/calendar/weekend/0', 'enum');
    expectError('config', config, '/sender', 'required', { missingProperty: 'postal_address' });
    expectError('config', config, '/sender/unsubscribe/mailto', 'pattern');
    expectError('config', config, '/sender/unsubscribe/https', 'pattern');
    expectError('config', config, '/lead_fields/tier', 'required', { missingProperty: 'values' });
    expectError('config', config, '/lead_fields/score/values', 'not');
    expectError('config', config, '/mailboxes', 'propertyNames', { propertyName: 'Tanaka' });
  });

  it('a step with both day and after, and a step with no timing', () => {
    const sequence = example('sequence');
    const steps = sequence.steps as Record<string, unknown>[];
    steps[0]!.after = '1d';
    delete steps[1]!.day;
    const both = expectError('sequence', sequence, '/steps/0/after', 'not');
    expect(ruleOf(both)).toMatch(/together with `day`.*exactly one timing/);
    expectError('sequence', sequence, '/steps/1', 'required', { missingProperty: 'day' });
    expectError('sequence', sequence, '/steps/1', 'required', { missingProperty: 'after' });
    expectError('sequence', sequence, '/steps/1', 'required', { missingProperty: 'at' });
  });

  it('outcomes on an email step', () => {
    const sequence = example('sequence');
    (sequence.steps as Record<string, unknown>[])[0]!.outcomes = { connected: 'next' };
    const error = expectError('sequence', sequence, '/steps/0/outcomes', 'not');
    expect(ruleOf(error)).toMatch(/Only `call` steps have `outcomes`/);
    expect(error.data).toEqual({ connected: 'next' });
  });

  it('a bad duration `2 days`, a bad offset, a bad time, day 0, an unknown outcome', () => {
    const sequence = example('sequence');
    const steps = sequence.steps as Record<string, unknown>[];
    steps[1]!.expires_after = '2 days';
    steps[1]!.day = 0;
    (steps[1]!.outcomes as Record<string, unknown>).busy = 'next';
    steps[3]!.at = { field: 'meeting_at', offset: '1 day before', time: '5pm' };
    expectError('sequence', sequence, '/steps/1/expires_after', 'pattern');
    expectError('sequence', sequence, '/steps/1/day', 'minimum');
    expectError('sequence', sequence, '/steps/1/outcomes', 'additionalProperties', { additionalProperty: 'busy' });
    expectError('sequence', sequence, '/steps/3/at/offset', 'pattern');
    expectError('sequence', sequence, '/steps/3/at/time', 'pattern');
  });

  it('an action with two keys (a forgotten `-`), an unknown action, and bad action values', () => {
    // One error each, at the action or at its value, rather than one per alternative.
    const twoKeys = { ...example('sequence'), on_finish: [{ set: { status: 'nurture' }, enroll: 'recycle' }] };
    expect(errorsOf('sequence', twoKeys).map((e) => [e.instancePath, e.keyword])).toEqual([['/on_finish/0', 'maxProperties']]);
    const unknown = { ...example('trigger'), do: [{ enrol: 'inbound-8day' }] };
    expect(errorsOf('trigger', unknown).map((e) => [e.instancePath, e.keyword, e.params])).toEqual([
      ['/do/0', 'additionalProperties', { additionalProperty: 'enrol' }],
    ]);
    expectError('trigger', { ...example('trigger'), do: [{}] }, '/do/0', 'minProperties');
    expectError('trigger', { ...example('trigger'), do: [{ suppress: false }] }, '/do/0/suppress', 'anyOf');
    expectError('trigger', { ...example('trigger'), do: [{ set: { status: { nested: 1 } } }] }, '/do/0/set/status', 'anyOf');
    expectError('trigger', { ...example('trigger'), do: [{ set: { Status: 'x' } }] }, '/do/0/set', 'propertyNames', { propertyName: 'Status' });
    expectError('trigger', { ...example('trigger'), do: [{ enroll: { sequence: 'x', start: 'tomorrow' } }] }, '/do/0/enroll/start', 'pattern');
    expectError('trigger', { ...example('trigger'), do: [{ remove: '**' }, { clear: [] }] }, '/do/1/clear', 'anyOf');
    expectError('trigger', { ...example('trigger'), do: [{ remove: '**' }] }, '/do/0/remove', 'anyOf');
    expectError('trigger', { ...example('trigger'), do: [] }, '/do', 'minItems');
  });

  it('an email template without subject, an sms template (or its variant) with one, a zero weight', () => {
    const template = example('template');
    delete template.subject;
    expectError('template', template, '', 'required', { missingProperty: 'subject' });
    const sms = { channel: 'sms', subject: 'Hi', body: 'b', variants: [{ id: 'a', subject: 'x', weight: 0 }] };
    expectError('template', sms, '/subject', 'not');
    expectError('template', sms, '/variants/0/subject', 'not');
    expectError('template', sms, '/variants/0/weight', 'exclusiveMinimum');
    expectError('template', { channel: 'email', subject: 's' }, '', 'required', { missingProperty: 'body' });
  });

  it('a trigger with both event and date, or with neither, or an unknown event', () => {
    const both = { on: { event: 'lead.imported', date: { field: 'renewal_date' } }, do: [{ enroll: 'x' }] };
    expectError('trigger', both, '/on/event', 'not');
    expectError('trigger', { on: { field: 'status' }, do: [{ enroll: 'x' }] }, '/on', 'required', { missingProperty: 'event' });
    expectError('trigger', { on: { event: ['lead.imported', 'lead.deleted'] }, do: [{ enroll: 'x' }] }, '/on/event', 'anyOf');
  });
});

function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}
