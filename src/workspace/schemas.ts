/**
 * Loads the JSON Schemas in the package's `schemas/` folder and compiles one validator per
 * workspace file kind. The schemas are the editor-facing description of the shapes in
 * `./types.ts`; semantic checks (references between files, time zones, cron syntax, ...)
 * are done elsewhere.
 */
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { AnySchemaObject, ValidateFunction } from 'ajv/dist/2020.js';
import ajvFormats from 'ajv-formats';
import type {
  SequenceDefinition,
  TemplateDefinition,
  TriggerDefinition,
  WorkspaceConfig,
} from './types.js';

/**
 * The `schemas/` folder of the package. This module lives in `src/workspace/` (tests, tsx)
 * or `dist/workspace/` (the built CLI): two levels down from the package root either way.
 */
export const SCHEMA_DIR = new URL('../../schemas/', import.meta.url);

/** The schema files, by the kind of workspace file they describe. */
export const SCHEMA_FILES = {
  common: 'common.schema.json',
  config: 'cadence.schema.json',
  sequence: 'sequence.schema.json',
  template: 'template.schema.json',
  trigger: 'trigger.schema.json',
} as const;

export interface SchemaValidators {
  config: ValidateFunction<WorkspaceConfig>;
  sequence: ValidateFunction<SequenceDefinition>;
  template: ValidateFunction<TemplateDefinition>;
  trigger: ValidateFunction<TriggerDefinition>;
}

export interface LoadedSchemas {
  ajv: Ajv2020;
  validators: SchemaValidators;
}

/**
 * ajv-formats is CommonJS: Node gives an ESM importer `module.exports` (the plugin function,
 * which also carries itself as `.default`), while TypeScript under NodeNext types the default
 * import as the module object. `.default` is the plugin in both views.
 */
const addFormats = ajvFormats.default;

/** Reads one schema file from {@link SCHEMA_DIR}. */
export function readSchema(file: string): AnySchemaObject {
  const url = new URL(file, SCHEMA_DIR);
  return JSON.parse(readFileSync(url, 'utf8')) as AnySchemaObject;
}

/**
 * Compiles the workspace schemas (draft 2020-12) with `allErrors` (report every problem of a
 * file, not just the first), `strict` (the schemas use no unknown keyword or ambiguous
 * construct) and `verbose` (each error carries `data` and `parentSchema`, whose `description`
 * explains the rule: a property that is not allowed in some combination, such as `after`
 * next to `day`, is `{ "not": {}, "description": "why" }`). Each call compiles afresh
 * (about 60 ms cold, plus ~30 ms to import ajv); keep the result if you need it more than once.
 */
export function loadSchemas(): LoadedSchemas {
  const ajv = new Ajv2020({
    allErrors: true,
    strict: true,
    verbose: true,
    // Skipping ajv's code optimisation passes cuts cold compile time by about a third
    // (~90 ms → ~60 ms); the generated validators behave the same, and the documents
    // they check are small.
    code: { optimize: false },
  });
  addFormats(ajv, ['date', 'uri']);
  // common.schema.json is only referenced (`common.schema.json#/$defs/...`), never compiled
  // alone. The schemas have no $id, so editors resolve that reference beside the file they
  // opened; ajv resolves it by the key given here.
  ajv.addSchema(readSchema(SCHEMA_FILES.common), SCHEMA_FILES.common);
  const validators: SchemaValidators = {
    config: ajv.compile<WorkspaceConfig>(readSchema(SCHEMA_FILES.config)),
    sequence: ajv.compile<SequenceDefinition>(readSchema(SCHEMA_FILES.sequence)),
    template: ajv.compile<TemplateDefinition>(readSchema(SCHEMA_FILES.template)),
    trigger: ajv.compile<TriggerDefinition>(readSchema(SCHEMA_FILES.trigger)),
  };
  return { ajv, validators };
}
