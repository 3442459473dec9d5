import type { Liquid, Template } from 'liquidjs';
import type { TemplateDefinition } from '../workspace/types.js';
import type { RenderContext } from './context.js';

export type Rendered = { ok: true; subject: string | undefined; body: string; variant: string | undefined } | { ok: false; missing: string; message: string };

/**
 * Renders a template strictly: a value the lead lacks stops the message (`missing`, such
 * as `lead.first_name`) instead of reaching the recipient with a hole in it.
 */
export function renderTemplate(liquid: Liquid, template: TemplateDefinition, variantId: string | undefined, context: RenderContext): Rendered {
  const variant = variantId === undefined ? undefined : template.variants?.find((candidate) => candidate.id === variantId);
  const subjectSource = variant?.subject ?? template.subject;
  const bodySource = variant?.body ?? template.body;
  try {
    const subject = subjectSource === undefined ? undefined : renderCached(liquid, subjectSource, context).trim();
    const body = renderCached(liquid, bodySource, context);
    return { ok: true, subject, body, variant: variant?.id };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const match = /undefined variable: ([\w.]+)/.exec(message);
    if (match) return { ok: false, missing: match[1]!, message: `the template needs ${match[1]}, which this lead has no value for` };
    throw error;
  }
}

/** Parsed templates by engine and source: a tick renders the same few templates thousands of times. */
const parsed = new WeakMap<Liquid, Map<string, Template[]>>();

function renderCached(liquid: Liquid, source: string, context: RenderContext): string {
  let cache = parsed.get(liquid);
  if (!cache) parsed.set(liquid, (cache = new Map()));
  let templates = cache.get(source);
  if (!templates) cache.set(source, (templates = liquid.parse(source)));
  return liquid.renderSync(templates, context) as string;
}

/**
 * The A/B variant a lead gets, the same every time (a hash of the address and the
 * template), weighted by the variants' weights; undefined when the template has none.
 */
export function chooseVariant(template: TemplateDefinition, templateId: string, email: string): string | undefined {
  const variants = template.variants ?? [];
  if (variants.length === 0) return undefined;
  const total = variants.reduce((sum, variant) => sum + (variant.weight ?? 1), 0);
  let point = (fnv1a(`${templateId}\u0000${email}`) / 0x1_0000_0000) * total;
  for (const variant of variants) {
    point -= variant.weight ?? 1;
    if (point < 0) return variant.id;
  }
  return variants.at(-1)!.id;
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}
