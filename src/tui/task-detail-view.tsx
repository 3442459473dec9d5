import { Box, Text } from 'ink';
import { DateTime } from 'luxon';
import type { TaskDetail } from '../engine/task-detail.js';
import type { Draft } from '../engine/task-session.js';
import { markedLines, wrapLines, type Line, type Part } from './lines.js';

/** The detail of a task as lines: the lead, the last touches, the step's instruction, then the script or draft. */
export function detailLines(detail: TaskDetail, draft: Draft | undefined, fullEdit: boolean): Line[] {
  const { task, lead } = detail;
  const field = (label: string, value: unknown): Line => [{ text: label.padEnd(12), style: 'dim' }, { text: value === undefined || value === '' ? '—' : String(value) }];
  const lines: Line[] = [
    [{ text: `${task.type} · ${task.sequence} / ${task.stepId}${detail.step?.name ? ` (${detail.step.name})` : ''} · task ${task.id}`, style: 'heading' }],
    field('lead', `${detail.name}${detail.kana ? ` (${detail.kana})` : ''} <${lead.email}>`),
    field('company', lead.fields.company),
    field('title', lead.fields.title),
    field('phone', lead.fields.phone),
    field('local time', detail.localTime),
    [{ text: 'last touches', style: 'heading' }],
    ...(detail.touches.length ? detail.touches.map((touch): Line => [{ text: `  ${DateTime.fromISO(touch.at, { zone: detail.zone }).toFormat('yyyy-MM-dd HH:mm')}  `, style: 'dim' }, { text: touch.text }]) : [[{ text: '  none yet', style: 'dim' as const }]]),
  ];
  if (detail.step?.instruction) lines.push([{ text: 'what to do', style: 'heading' }], ...detail.step.instruction.trim().split('\n').map((text): Line => [{ text }]));
  const script = detail.script;
  if (script && 'problem' in script) lines.push([{ text: `template: ${script.problem}`, style: 'warning' }]);
  else if (script) {
    const isEmail = script.channel === 'email';
    lines.push([{ text: isEmail ? `email draft (${script.template})${draft ? ' · edited' : ''}${fullEdit || draft?.fullEdit ? ' · full edit' : ''}` : `${script.channel} script (${script.template})`, style: 'heading' }]);
    if (draft?.problem) lines.push([{ text: `refused: ${draft.problem}`, style: 'error' }]);
    const text = draft ? draft.text.split('\n').filter((line) => !line.startsWith('# ')).join('\n') : `${script.subject !== undefined ? `Subject: ${script.subject}\n\n` : ''}${script.body}`;
    lines.push(...markedLines(text.trimEnd()));
    if (isEmail) lines.push([{ text: 'highlighted: the parts you may rewrite (e); F switches to full edit', style: 'dim' }]);
  }
  return lines;
}

const STYLE: Record<NonNullable<Part['style']>, { color?: string; bold?: boolean; dimColor?: boolean; inverse?: boolean }> = {
  region: { color: 'yellow', inverse: true },
  heading: { bold: true },
  dim: { dimColor: true },
  warning: { color: 'yellow' },
  error: { color: 'red' },
};

export function TaskDetailView({ lines, width, height, scroll }: { lines: Line[]; width: number; height: number; scroll: number }): React.JSX.Element {
  const wrapped = wrapLines(lines, width - 1);
  const room = wrapped.length > height ? height - 1 : height;
  const top = Math.min(scroll, Math.max(0, wrapped.length - room));
  const shown = wrapped.slice(top, top + room);
  return (
    <Box flexDirection="column" height={height}>
      {shown.map((line, index) => (
        <Text key={top + index} wrap="truncate-end">
          {line.length === 0 ? ' ' : line.map((part, at) => <Text key={at} {...(part.style ? STYLE[part.style] : {})}>{part.text}</Text>)}
        </Text>
      ))}
      {wrapped.length > height ? <Text dimColor>{`  … J/K or PgUp/PgDn scroll (${top + 1}-${Math.min(wrapped.length, top + room)} of ${wrapped.length})`}</Text> : null}
    </Box>
  );
}
