import { analyzeTemplateSource, type TemplateAnalysis } from '../render/analyze.js';
import { isKnownToken, knownTokenNames } from '../render/tokens.js';
import { didYouMean } from '../util/did-you-mean.js';
import type { CheckContext } from './check-context.js';
import { stepTemplateRefs } from './step-templates.js';
import type { StepType, TemplateDefinition } from './types.js';
import type { YamlFile, YamlPath } from './yaml-file.js';

const MAX_LENGTH: Partial<Record<TemplateDefinition['channel'], number>> = { linkedin: 300, sms: 670 };

interface Usage {
  sequence: string;
  step: string;
  type: StepType;
}

/** Semantic checks of every schema-valid template, and of how sequences use them. */
export function checkTemplates(context: CheckContext): void {
  const usage = templateUsage(context);
  const fieldNames = new Set(context.fields.keys());
  for (const source of context.workspace.templates.values()) {
    const template = source.definition;
    const yaml = source.yaml;
    if (!template || !yaml) continue;
    const uses = usage.get(source.id) ?? [];
    if (uses.length === 0) {
      context.problems.warning('TPL_UNUSED', yaml.file, { line: 1, column: 1 }, `template "${source.id}" is not used by any sequence`);
    }
    const autoUse = uses.find((use) => use.type === 'auto_email');
    for (const part of parts(template)) {
      const analysis = analyzeTemplateSource(context.liquid!, part.text);
      if (analysis.syntaxError) {
        const { message, line, column } = analysis.syntaxError;
        context.problems.error('TPL_SYNTAX', yaml.file, yaml.insideScalar(part.path, line, column), `template "${source.id}" ${part.label}: ${message}`, 'tokens look like {{ lead.first_name }}; tags like {% if lead.title %}…{% endif %}');
        continue;
      }
      checkTokens(context, yaml, part.path, analysis, fieldNames, `template "${source.id}" ${part.label}`);
      checkRegions(context, yaml, part.path, analysis, `template "${source.id}" ${part.label}`, autoUse);
      if (autoUse && part.kind === 'body') checkCompliance(context, yaml, part.path, analysis, source.id, part.label, autoUse);
      const limit = MAX_LENGTH[template.channel];
      if (limit !== undefined && part.kind === 'body' && part.text.trim().length > limit) {
        context.problems.warning('TPL_TOO_LONG', yaml.file, yaml.at(part.path), `template "${source.id}" ${part.label} is ${part.text.trim().length} characters; a ${template.channel} message allows ${limit}`, 'shorten it: the network cuts or refuses longer text');
      }
    }
    const variantIds = new Set<string>();
    (template.variants ?? []).forEach((variant, index) => {
      if (variantIds.has(variant.id)) {
        context.problems.error('TPL_DUPLICATE_VARIANT', yaml.file, yaml.at(['variants', index, 'id']), `template "${source.id}" has two variants with id "${variant.id}"`, 'variant ids are recorded per lead for reports: make them unique');
      }
      variantIds.add(variant.id);
    });
  }
}

function templateUsage(context: CheckContext): Map<string, Usage[]> {
  const usage = new Map<string, Usage[]>();
  for (const source of context.workspace.sequences.values()) {
    for (const step of source.definition?.steps ?? []) {
      for (const ref of stepTemplateRefs(step)) {
        usage.set(ref.id, [...(usage.get(ref.id) ?? []), { sequence: source.id, step: step.id, type: step.type }]);
      }
    }
  }
  return usage;
}

interface Part {
  kind: 'subject' | 'body';
  label: string;
  text: string;
  path: YamlPath;
}

function parts(template: TemplateDefinition): Part[] {
  const result: Part[] = [];
  if (template.subject !== undefined) result.push({ kind: 'subject', label: 'subject', text: template.subject, path: ['subject'] });
  result.push({ kind: 'body', label: 'body', text: template.body, path: ['body'] });
  (template.variants ?? []).forEach((variant, index) => {
    if (variant.subject !== undefined) result.push({ kind: 'subject', label: `variant "${variant.id}" subject`, text: variant.subject, path: ['variants', index, 'subject'] });
    if (variant.body !== undefined) result.push({ kind: 'body', label: `variant "${variant.id}" body`, text: variant.body, path: ['variants', index, 'body'] });
  });
  return result;
}

function checkTokens(context: CheckContext, yaml: YamlFile, path: YamlPath, analysis: TemplateAnalysis, fieldNames: ReadonlySet<string>, subject: string): void {
  for (const token of analysis.tokens) {
    if (isKnownToken(token.path, fieldNames) || (!context.fieldsKnown && token.path[0] === 'lead')) continue;
    const name = token.path.join('.');
    const guess = didYouMean(name, knownTokenNames(fieldNames));
    context.problems.error('TPL_UNKNOWN_TOKEN', yaml.file, yaml.insideScalar(path, token.line, token.column), `${subject} uses {{ ${name} }}, which no lead field or built-in token provides`, guess ? `did you mean {{ ${guess} }}?` : token.path[0] === 'lead' ? 'declare the field in cadence.yaml under lead_fields:' : 'tokens are lead.*, sender.*, org.*, footer and unsubscribe');
  }
}

function checkRegions(context: CheckContext, yaml: YamlFile, path: YamlPath, analysis: TemplateAnalysis, subject: string, autoUse: Usage | undefined): void {
  const names = new Set<string>();
  for (const region of analysis.regions) {
    const at = yaml.insideScalar(path, region.line, region.column);
    if (autoUse) {
      context.problems.error('TPL_EDITABLE_IN_AUTO', yaml.file, at, `${subject} has editable region "${region.name}", but step "${autoUse.step}" of sequence "${autoUse.sequence}" sends it automatically: its example text would reach the lead`, 'use a manual_email step for personalised emails, or remove the region');
    }
    if (names.has(region.name)) {
      context.problems.error('TPL_DUPLICATE_REGION', yaml.file, at, `${subject} has two editable regions named "${region.name}"`, 'give each region its own name');
    }
    names.add(region.name);
  }
}

function checkCompliance(context: CheckContext, yaml: YamlFile, path: YamlPath, analysis: TemplateAnalysis, id: string, label: string, autoUse: Usage): void {
  const used = new Set(analysis.tokens.map((token) => token.path.join('.')));
  const by = `step "${autoUse.step}" of sequence "${autoUse.sequence}" sends it automatically`;
  if (!used.has('unsubscribe') && !used.has('unsubscribe_mailto') && !used.has('unsubscribe_url')) {
    context.problems.error('TPL_MISSING_UNSUBSCRIBE', yaml.file, yaml.at(path), `template "${id}" ${label} has no unsubscribe route, and ${by}`, 'add {{ unsubscribe }} near the end of the body (特定電子メール法 and CAN-SPAM require an opt-out)');
  }
  if (!used.has('footer')) {
    context.problems.error('TPL_MISSING_FOOTER', yaml.file, yaml.at(path), `template "${id}" ${label} has no legal footer, and ${by}`, 'add {{ footer }} (sender name, postal address and opt-out contact) at the end of the body');
  }
}
