import type { CheckContext } from './check-context.js';
import type { WorkspaceConfig } from './types.js';
import type { YamlFile } from './yaml-file.js';

/** `tasks:` in cadence.yaml: what the schema cannot say (the working hours must be a span). */
export function checkTaskSettings(context: CheckContext, yaml: YamlFile, config: WorkspaceConfig): void {
  const hours = config.tasks?.working_hours;
  if (hours && hours.start >= hours.end) {
    context.problems.error('CONFIG_TASKS_HOURS', yaml.file, yaml.at(['tasks', 'working_hours', 'end']), `tasks.working_hours ends at ${hours.end}, not after it starts (${hours.start})`, 'write the span within one day, like { start: "09:00", end: "18:00" }');
  }
}
