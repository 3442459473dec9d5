import type { Liquid } from 'liquidjs';
import { conditionFields, parseCondition } from '../conditions/index.js';
import { didYouMean } from '../util/did-you-mean.js';
import { leadFields } from './lead-fields.js';
import type { Source, Workspace } from './load.js';
import type { ProblemList } from './problems.js';
import type { FieldType, LeadFieldDefinition, WorkspaceConfig } from './types.js';
import type { YamlFile, YamlPath } from './yaml-file.js';

/** What the semantic checks share: the loaded workspace and where problems go. */
export interface CheckContext {
  workspace: Workspace;
  problems: ProblemList;
  fields: Map<string, LeadFieldDefinition>;
  /** Only template checks need it; config-only callers pass none. */
  liquid: Liquid | undefined;
  /** Whether to check the holiday calendar (loads every country's holidays). */
  checkCalendar: boolean;
  /**
   * Whether the workspace's lead fields are known: not when cadence.yaml could not be read
   * at all, and then an unknown field is not reported (it would bury the real error).
   */
  fieldsKnown: boolean;
}

export function createCheckContext(workspace: Workspace, problems: ProblemList, liquid: Liquid | undefined, checkCalendar = true): CheckContext {
  const raw = workspace.config?.definition ? undefined : safeValue(workspace.config?.yaml);
  const config = workspace.config?.definition ?? salvageConfig(raw);
  const fieldsKnown = workspace.config?.definition !== undefined || (raw !== null && typeof raw === 'object' && !Array.isArray(raw));
  return { workspace, problems, fields: leadFields(config), liquid, checkCalendar, fieldsKnown };
}

/** A reference to another file by id, with a did-you-mean when it is missing. */
export function checkReference(
  context: CheckContext,
  yaml: YamlFile,
  path: YamlPath,
  kind: 'template' | 'sequence',
  id: string,
  code: string,
  subject: string,
): boolean {
  const sources: Map<string, Source<unknown>> = kind === 'template' ? context.workspace.templates : context.workspace.sequences;
  if (sources.has(id)) return true;
  const guess = didYouMean(id, sources.keys());
  context.problems.error(
    code,
    yaml.file,
    yaml.at(path),
    `${subject} uses ${kind} "${id}", which does not exist`,
    guess ? `did you mean "${guess}"? (${sources.get(guess)!.file})` : `create ${kind}s/${id}.yaml, or fix the name`,
  );
  return false;
}

/** A lead field name; reports it (with a did-you-mean) when the workspace has no such field. */
export function checkField(context: CheckContext, yaml: YamlFile, path: YamlPath, field: string, subject: string): LeadFieldDefinition | undefined {
  const name = field.replace(/^lead\./, '');
  const definition = context.fields.get(name);
  if (definition || !context.fieldsKnown) return definition;
  const guess = didYouMean(name, context.fields.keys());
  context.problems.error(
    'UNKNOWN_FIELD',
    yaml.file,
    yaml.at(path),
    `${subject} refers to the lead field "${name}", which is neither built in nor declared`,
    guess ? `did you mean "${guess}"?` : `declare it in cadence.yaml under lead_fields: with a type`,
  );
  return undefined;
}

/** A condition string: syntax errors and unknown fields, at their column in the file. */
export function checkCondition(context: CheckContext, yaml: YamlFile, path: YamlPath, source: string, subject: string): void {
  const parsed = parseCondition(source);
  if (!parsed.ok) {
    context.problems.error(
      'COND_SYNTAX',
      yaml.file,
      yaml.insideScalar(path, 1, parsed.error.column),
      `${subject}: ${parsed.error.message}`,
      parsed.error.hint,
    );
    return;
  }
  for (const { field, column } of conditionFields(parsed.ast)) {
    const name = field.replace(/^lead\./, '');
    if (context.fields.has(name) || !context.fieldsKnown) continue;
    const guess = didYouMean(name, context.fields.keys());
    context.problems.error(
      'COND_UNKNOWN_FIELD',
      yaml.file,
      yaml.insideScalar(path, 1, column),
      `${subject} refers to the lead field "${name}", which is neither built in nor declared`,
      guess ? `did you mean "${guess}"?` : 'declare it in cadence.yaml under lead_fields: with a type',
    );
  }
}

const FIELD_TYPES: readonly FieldType[] = ['string', 'number', 'date', 'datetime', 'enum', 'boolean'];

/** The lead fields of a cadence.yaml that failed its schema, as far as they can be read. */
function salvageConfig(raw: unknown): WorkspaceConfig | undefined {
  const declared = (raw as { lead_fields?: unknown } | undefined)?.lead_fields;
  if (!declared || typeof declared !== 'object' || Array.isArray(declared)) return undefined;
  const lead_fields: Record<string, LeadFieldDefinition> = {};
  for (const [name, value] of Object.entries(declared)) {
    const type = (value as { type?: unknown } | null)?.type;
    if (FIELD_TYPES.includes(type as FieldType)) lead_fields[name] = value as LeadFieldDefinition;
  }
  return { lead_fields } as unknown as WorkspaceConfig;
}

function safeValue(yaml: YamlFile | undefined): unknown {
  try {
    return yaml?.value();
  } catch {
    return undefined;
  }
}
