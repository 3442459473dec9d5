import { Box, Text } from 'ink';
import { DateTime } from 'luxon';
import type { OrderedTask } from '../engine/task-order.js';
import type { TaskListing } from '../store/tasks.js';
import { padEnd, truncate } from '../util/width.js';

type Row = OrderedTask<TaskListing>;

/** Whether a task matches the `/` filter: any word in name, address, company, sequence, step or type (case and width folded). */
export function matchesFilter(task: Row, filter: string): boolean {
  if (!filter) return true;
  const haystack = fold([task.fullName, task.email, task.company, task.sequence, task.stepId, task.type].filter(Boolean).join(' '));
  return fold(filter).split(/\s+/).every((word) => haystack.includes(word));
}

function fold(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

/**
 * The task rows that fit the screen, the cursor's row kept in view. Columns are padded by
 * display width, so full-width (Japanese) names and companies stay aligned.
 */
export function TaskListView({ tasks, cursor, width, height, zone }: { tasks: readonly Row[]; cursor: number; width: number; height: number; zone: string }): React.JSX.Element {
  const rows = Math.max(1, height);
  const top = Math.min(Math.max(0, cursor - Math.floor(rows / 2)), Math.max(0, tasks.length - rows));
  const name = Math.max(12, Math.min(24, Math.floor((width - 44) * 0.35)));
  const company = Math.max(10, Math.min(26, Math.floor((width - 44) * 0.35)));
  const rest = Math.max(8, width - (2 + 7 + 12 + 13 + name + 2 + company + 2) - 1);
  const heading = `  ${padEnd('#', 7)}${padEnd('due', 12)}${padEnd('type', 13)}${padEnd('lead', name)}  ${padEnd('company', company)}  sequence / step`;
  if (tasks.length === 0) {
    return (
      <Box flexDirection="column" height={rows + 1}>
        <Text dimColor>{heading}</Text>
        <Text>No open tasks here. Snoozed tasks come back at their time; R reloads.</Text>
      </Box>
    );
  }
  return (
    <Box flexDirection="column" height={rows + 1}>
      <Text dimColor wrap="truncate-end">{truncate(heading, width - 1)}</Text>
      {tasks.slice(top, top + rows).map((task, offset) => {
        const selected = top + offset === cursor;
        const due = task.overdue ? 'OVERDUE' : DateTime.fromISO(task.dueAt, { zone }).toFormat('MM-dd HH:mm');
        const type = `${task.type}${task.callable ? ' ☎' : ''}`;
        const line = `${selected ? '› ' : '  '}${padEnd(String(task.id), 7)}${padEnd(due, 12)}${padEnd(type, 13)}${padEnd(truncate(task.fullName ?? task.email, name), name)}  ${padEnd(truncate(task.company ?? '', company), company)}  ${truncate(`${task.sequence} / ${task.stepId}`, rest)}`;
        return (
          <Text key={task.id} inverse={selected} color={task.overdue ? 'red' : undefined} wrap="truncate-end">
            {line}
          </Text>
        );
      })}
    </Box>
  );
}
