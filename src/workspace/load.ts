import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ValidateFunction } from 'ajv';
import { ProblemList } from './problems.js';
import { reportSchemaErrors, SECRET_KEYS } from './schema-errors.js';
import { CONFIG_FILE, FOLDERS } from './paths.js';
import { loadSchemas } from './schemas.js';

export { CONFIG_FILE, FOLDERS, findWorkspaceRoot } from './paths.js';
import type { SequenceDefinition, TemplateDefinition, TriggerDefinition, WorkspaceConfig } from './types.js';
import { YamlFile, type YamlPath } from './yaml-file.js';

const ID = /^[a-z0-9][a-z0-9_-]*$/;

/** One loaded file; `definition` is absent when the file failed YAML or schema checks. */
export interface Source<T> {
  id: string;
  file: string;
  yaml: YamlFile | undefined;
  definition: T | undefined;
}

export interface Workspace {
  root: string;
  config: Source<WorkspaceConfig> | undefined;
  sequences: Map<string, Source<SequenceDefinition>>;
  templates: Map<string, Source<TemplateDefinition>>;
  triggers: Map<string, Source<TriggerDefinition>>;
}

/** Reads every workspace file and checks it against its JSON Schema. */
export function loadWorkspace(root: string, problems: ProblemList): Workspace {
  const { validators } = loadSchemas();
  const configFile = loadFile<WorkspaceConfig>(root, CONFIG_FILE, 'cadence', validators.config, problems);
  return {
    root,
    config: configFile,
    sequences: loadFolder<SequenceDefinition>(root, FOLDERS.sequences, validators.sequence, problems),
    templates: loadFolder<TemplateDefinition>(root, FOLDERS.templates, validators.template, problems),
    triggers: loadFolder<TriggerDefinition>(root, FOLDERS.triggers, validators.trigger, problems),
  };
}

function loadFolder<T>(root: string, folder: string, validate: ValidateFunction, problems: ProblemList): Map<string, Source<T>> {
  const sources = new Map<string, Source<T>>();
  const dir = join(root, folder);
  if (!existsSync(dir)) return sources;
  const names = readdirSync(dir).filter((name) => /\.ya?ml$/.test(name)).sort();
  for (const name of names) {
    const file = `${folder}/${name}`;
    const id = name.replace(/\.ya?ml$/, '');
    if (!ID.test(id)) {
      problems.error('FILE_BAD_NAME', file, undefined, `"${name}" cannot be an id: the file name is the id`, 'rename it with lower-case letters, digits, - and _, like inbound-8day.yaml');
    }
    if (sources.has(id)) {
      problems.error('FILE_DUPLICATE_ID', file, undefined, `"${id}" is defined twice (${sources.get(id)!.file} and ${file})`, 'keep one of the files; .yaml and .yml with the same name collide');
      continue;
    }
    const source = loadFile<T>(root, file, id, validate, problems);
    if (source) sources.set(id, source);
  }
  return sources;
}

/** Reads and schema-checks cadence.yaml alone: for commands that need the settings, not the library. */
export function loadConfigFile(root: string, problems: ProblemList): Source<WorkspaceConfig> | undefined {
  return loadFile<WorkspaceConfig>(root, CONFIG_FILE, 'cadence', loadSchemas().validators.config, problems);
}

function loadFile<T>(root: string, file: string, id: string, validate: ValidateFunction, problems: ProblemList): Source<T> | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(join(root, file));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'it does not exist' : (error as Error).message;
    problems.error('FILE_UNREADABLE', file, undefined, `cannot read ${file}: ${reason}`);
    return undefined;
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    problems.error('FILE_ENCODING', file, undefined, `${file} is not UTF-8`, 'save it as UTF-8 (Japanese editors may default to Shift_JIS)');
    return { id, file, yaml: undefined, definition: undefined };
  }
  const yaml = YamlFile.parse(file, text, problems);
  if (!yaml) return { id, file, yaml: undefined, definition: undefined };
  if (!/^#\s*yaml-language-server:\s*\$schema=/m.test(text.split('\n', 3).join('\n'))) {
    problems.warning('FILE_NO_SCHEMA_LINE', file, { line: 1, column: 1 }, `${file} has no yaml-language-server $schema line`, `add "# yaml-language-server: $schema=${schemaLineFor(file)}" as the first line so editors check it as you type`);
  }
  const value = yaml.value();
  const secrets = id === 'cadence' && file === CONFIG_FILE ? reportLiteralSecrets(value, [], yaml, problems) : 0;
  const valid = validate(value);
  if (!valid) reportSchemaErrors(validate.errors ?? [], yaml, problems);
  return { id, file, yaml, definition: valid && secrets === 0 ? (value as T) : undefined };
}

function reportLiteralSecrets(value: unknown, path: YamlPath, yaml: YamlFile, problems: ProblemList): number {
  if (value === null || typeof value !== 'object') return 0;
  let found = 0;
  for (const [key, child] of Object.entries(value)) {
    const childPath = [...path, Array.isArray(value) ? Number(key) : key];
    if (!Array.isArray(value) && SECRET_KEYS.has(key) && (typeof child === 'string' || typeof child === 'number')) {
      found++;
      problems.error(
        'CONFIG_LITERAL_SECRET',
        yaml.file,
        yaml.keyAt(path, key),
        `"${key}" holds a literal secret; secrets never go in the workspace (it is in git)`,
        `remove it, put the value in an environment variable and name it instead: ${key}_env: CADENCE_${key.toUpperCase()}`,
      );
    } else {
      found += reportLiteralSecrets(child, childPath, yaml, problems);
    }
  }
  return found;
}

/** The schema a workspace file's first line names, relative to the file. */
function schemaLineFor(file: string): string {
  if (file === CONFIG_FILE) return './schemas/cadence.schema.json';
  const kind = { sequences: 'sequence', templates: 'template', triggers: 'trigger' }[file.split('/')[0] ?? ''] ?? 'NAME';
  return `../schemas/${kind}.schema.json`;
}
