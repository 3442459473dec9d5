import type { StepDefinition, StepType, TemplateChannel } from './types.js';
import type { YamlPath } from './yaml-file.js';

/** The template channel each step type takes. */
export const CHANNEL_OF_STEP: Readonly<Record<StepType, TemplateChannel>> = {
  auto_email: 'email',
  manual_email: 'email',
  call: 'call',
  linkedin: 'linkedin',
  sms: 'sms',
  task: 'task',
};

export const EMAIL_STEPS: ReadonlySet<StepType> = new Set(['auto_email', 'manual_email']);

/** Every template a step may use, with the path of the reference inside the step. */
export function stepTemplateRefs(step: StepDefinition): { id: string; path: YamlPath }[] {
  const template = step.template;
  if (template === undefined) return [];
  if (typeof template === 'string') return [{ id: template, path: ['template'] }];
  const refs = Object.entries(template.cases).map(([value, id]) => ({ id, path: ['template', 'cases', value] as YamlPath }));
  if (template.default) refs.push({ id: template.default, path: ['template', 'default'] });
  return refs;
}
