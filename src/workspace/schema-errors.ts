import type { ErrorObject } from 'ajv';
import { didYouMean } from '../util/did-you-mean.js';
import type { ProblemList } from './problems.js';
import type { YamlFile, YamlPath } from './yaml-file.js';

/** Keys whose literal value is a secret: reported as CONFIG_LITERAL_SECRET instead. */
export const SECRET_KEYS = new Set([
  'password', 'pass', 'secret', 'client_secret', 'refresh_token', 'access_token', 'api_key', 'apikey', 'token',
]);

/**
 * Turns ajv's errors into problems that point at the YAML node: one problem per real
 * mistake, with the noise of `oneOf`/`anyOf`/`if` branches that did not apply removed.
 */
export function reportSchemaErrors(errors: readonly ErrorObject[], file: YamlFile, problems: ProblemList): void {
  const simplified = simplify(errors);
  for (const error of simplified) {
    const path = instancePath(error.instancePath);
    const where = describePath(path);
    switch (error.keyword) {
      case 'additionalProperties': {
        const key = String(error.params.additionalProperty);
        if (SECRET_KEYS.has(key)) break; // reported by the secret check
        const allowed = allowedKeys(error);
        const guess = didYouMean(key, allowed);
        problems.error(
          'SCHEMA_UNKNOWN_PROPERTY',
          file.file,
          file.keyAt(path, key),
          `unknown property "${key}"${where ? ` in ${where}` : ''}`,
          guess ? `did you mean "${guess}"?` : allowed.length ? `allowed here: ${allowed.join(', ')}` : undefined,
        );
        break;
      }
      case 'required':
        // A misspelt required key (`bdy:`) is one mistake: its unknown-property error says did you mean "body".
        if (simplified.some((other) => other.keyword === 'additionalProperties' && other.instancePath === error.instancePath && didYouMean(String(other.params.additionalProperty), allowedKeys(other)) === error.params.missingProperty)) break;
        problems.error(
          'SCHEMA_REQUIRED',
          file.file,
          file.at(path),
          `${where || 'the file'} is missing the required property "${String(error.params.missingProperty)}"`,
        );
        break;
      case 'type':
        problems.error(
          'SCHEMA_TYPE',
          file.file,
          file.at(path),
          `${where || 'the file'} must be ${article(String(error.params.type))}, not ${kindOf(error.data)}`,
        );
        break;
      case 'enum': {
        const allowed = (error.params.allowedValues as unknown[]).map(String);
        const guess = didYouMean(String(error.data), allowed);
        problems.error(
          'SCHEMA_ENUM',
          file.file,
          file.at(path),
          `${where} is "${String(error.data)}", which is not one of: ${allowed.join(', ')}`,
          guess ? `did you mean "${guess}"?` : undefined,
        );
        break;
      }
      case 'const':
        problems.error(
          'SCHEMA_CONST',
          file.file,
          file.at(path),
          `${where} must be ${JSON.stringify(error.params.allowedValue)}`,
        );
        break;
      case 'pattern':
        problems.error('SCHEMA_PATTERN', file.file, file.at(path), patternMessage(where, error), patternHint(error));
        break;
      case 'not': {
        // `{ "not": {}, "description": "why" }`: a key that is not allowed in this combination.
        const key = path.at(-1);
        problems.error('SCHEMA_INVALID', file.file, typeof key === 'string' ? file.keyAt(path.slice(0, -1), key) : file.at(path), `${where || 'the file'} is not allowed here`, describeSchema(error.parentSchema));
        break;
      }
      case 'format': {
        const date = error.params.format === 'date';
        problems.error(
          'SCHEMA_INVALID',
          file.file,
          file.at(path),
          `${where} ${JSON.stringify(error.data)} is not ${date ? 'a real date' : `a valid ${String(error.params.format)}`}`,
          date ? 'write YYYY-MM-DD with a day that exists in that month, like 2026-02-28' : describeSchema(error.parentSchema),
        );
        break;
      }
      default:
        problems.error(
          error.keyword === 'oneOf' || error.keyword === 'anyOf' ? 'SCHEMA_ONE_OF' : 'SCHEMA_INVALID',
          file.file,
          file.at(path),
          `${where || 'the file'} ${ruleMessage(error)}`,
          describeSchema(error.parentSchema),
        );
    }
  }
}

function simplify(errors: readonly ErrorObject[]): ErrorObject[] {
  let result = errors.filter((error) => error.keyword !== 'if');
  const combinators = result
    .filter((error) => error.keyword === 'oneOf' || error.keyword === 'anyOf')
    .sort((a, b) => b.schemaPath.length - a.schemaPath.length);
  for (const combinator of combinators) {
    const prefix = `${combinator.schemaPath}/`;
    const inBranches = result.filter((error) => error.schemaPath.startsWith(prefix));
    if (inBranches.length === 0) continue; // failed because several branches matched
    const branches = new Map<string, ErrorObject[]>();
    for (const error of inBranches) {
      const branch = error.schemaPath.slice(prefix.length).split('/')[0]!;
      branches.set(branch, [...(branches.get(branch) ?? []), error]);
    }
    const scored = [...branches.values()].map((branchErrors) => ({
      branchErrors,
      shallow: branchErrors.filter((error) => isShallow(error, combinator.instancePath)).length,
    }));
    scored.sort((a, b) => a.shallow - b.shallow || a.branchErrors.length - b.branchErrors.length);
    const best = scored[0]!;
    const keep = best.shallow === 0 ? best.branchErrors : [combinator];
    result = result.filter((error) => (error === combinator ? keep.includes(error) : !inBranches.includes(error) || keep.includes(error)));
  }
  // A value that fails its pattern (`2026-2-3`) fails its format too: one mistake, one problem.
  const patterns = new Set(result.filter((error) => error.keyword === 'pattern').map((error) => error.instancePath));
  result = result.filter((error) => error.keyword !== 'format' || !patterns.has(error.instancePath));
  return dedupe(result);
}

/** The keys a map allows, for did-you-mean on an unknown key. */
function allowedKeys(error: ErrorObject): string[] {
  return Object.keys((error.parentSchema as { properties?: object } | undefined)?.properties ?? {});
}

/** An error that says the value is of the wrong kind altogether for this branch. */
function isShallow(error: ErrorObject, at: string): boolean {
  if (error.instancePath !== at) return false;
  return ['type', 'required', 'const', 'enum', 'not', 'minProperties', 'maxProperties'].includes(error.keyword);
}

function dedupe(errors: ErrorObject[]): ErrorObject[] {
  const seen = new Set<string>();
  return errors.filter((error) => {
    const key = `${error.instancePath}|${error.keyword}|${JSON.stringify(error.params)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function instancePath(pointer: string): YamlPath {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

/** `steps[2].outcomes.connected`, as a person reading the file would say it. */
export function describePath(path: YamlPath): string {
  let text = '';
  for (const part of path) text += typeof part === 'number' ? `[${part}]` : text ? `.${part}` : part;
  return text;
}

const PATTERNS: Record<string, { message: string; hint: string }> = {
  duration: { message: 'is not a duration', hint: 'write a number and a unit: 30m, 4h, 2d, 1w or 3mo' },
  offset: { message: 'is not an offset', hint: 'write a signed number and a unit: -1d, +90m, -3mo' },
  timeOfDay: { message: 'is not a time of day', hint: 'write 24-hour HH:MM, like 09:00 or 17:30' },
  identifier: { message: 'is not a valid id', hint: 'use lower-case letters, digits, - and _, like inbound-8day' },
  fieldName: { message: 'is not a valid field name', hint: 'use lower-case letters, digits and _, like meeting_at' },
  date: { message: 'is not a date', hint: 'write YYYY-MM-DD, like 2026-12-31' },
  email: { message: 'is not an email address', hint: 'write it like name@example.com' },
};

function patternKind(error: ErrorObject): string | undefined {
  const match = /\$defs\/([A-Za-z]+)\/pattern$/.exec(error.schemaPath);
  if (match && PATTERNS[match[1]!]) return match[1];
  const description = String((error.parentSchema as { description?: string } | undefined)?.description ?? '').toLowerCase();
  if (description.includes('yyyy-mm-dd')) return 'date';
  if (description.includes('email')) return 'email';
  return undefined;
}

function patternMessage(where: string, error: ErrorObject): string {
  const kind = patternKind(error);
  const value = JSON.stringify(error.data);
  return kind ? `${where} ${value} ${PATTERNS[kind]!.message}` : `${where} ${value} does not match ${String(error.params.pattern)}`;
}

function patternHint(error: ErrorObject): string | undefined {
  const kind = patternKind(error);
  return kind ? PATTERNS[kind]!.hint : describeSchema(error.parentSchema);
}

function ruleMessage(error: ErrorObject): string {
  switch (error.keyword) {
    case 'oneOf':
    case 'anyOf':
      return 'does not have any of the allowed forms';
    case 'maxProperties':
      return `must have at most ${String(error.params.limit)} ${Number(error.params.limit) === 1 ? 'key' : 'keys'}`;
    case 'minProperties':
      return `must have at least ${String(error.params.limit)} ${Number(error.params.limit) === 1 ? 'key' : 'keys'}`;
    default:
      return error.message ?? 'is invalid';
  }
}

function describeSchema(schema: unknown): string | undefined {
  const description = (schema as { description?: unknown } | undefined)?.description;
  return typeof description === 'string' ? description.split('\n')[0] : undefined;
}

function article(type: string): string {
  const names = type.split(',').map((name) => (name === 'object' ? 'a map' : name === 'array' ? 'a list' : /^[aeiou]/.test(name) ? `an ${name}` : `a ${name}`));
  return names.join(' or ');
}

function kindOf(value: unknown): string {
  if (value === null) return 'empty';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  return `${typeof value} ${JSON.stringify(value)}`;
}
