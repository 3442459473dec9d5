import type { Problem } from '../workspace/problems.js';
import { isEmptyDiff, type SequenceDiff, type StepChange, type TemplateDiff, type TextDiff, type ValueChange, type WorkspaceDiff } from './diff.js';
import { changedLines, type WordSegment } from './word-diff.js';
import type { WorkspaceSide } from './workspace-side.js';

/** The result of `cadence diff`: both sides, and the changes when both are valid. */
export interface DiffReport {
  base: WorkspaceSide;
  head: WorkspaceSide;
  diff: WorkspaceDiff | undefined;
}

const ordinal = (position: number): string => `${position}${position % 10 === 1 && position % 100 !== 11 ? 'st' : position % 10 === 2 && position % 100 !== 12 ? 'nd' : position % 10 === 3 && position % 100 !== 13 ? 'rd' : 'th'}`;
const value = (text: string | null): string => (text === null ? '(none)' : text);
const short = (commit: string | null): string => (commit ? ` (${commit.slice(0, 7)})` : '');

/** One line per step change, in words: shared by the text and Markdown forms. */
function stepLine(change: StepChange): string {
  switch (change.change) {
    case 'added':
      return `step ${change.step} added (${change.type}, ${change.timing}) as the ${ordinal(change.position)} step`;
    case 'removed':
      return `step ${change.step} removed (${change.type}, ${change.timing}, was the ${ordinal(change.position)} step)`;
    case 'moved':
      return `step ${change.step} moved from ${ordinal(change.from)} to ${ordinal(change.to)} (${change.after === null ? 'now first' : `now after ${change.after}`})`;
    case 'retimed':
      return `step ${change.step} retimed: ${value(change.from)} → ${value(change.to)}`;
    case 'type':
      return `step ${change.step} type: ${value(change.from)} → ${value(change.to)}`;
    case 'template':
      return `step ${change.step} template: ${value(change.from)} → ${value(change.to)}`;
    case 'guard':
      return `step ${change.step} when: ${value(change.from)} → ${value(change.to)}`;
    case 'branch':
      return `step ${change.step} outcome ${change.outcome}: ${value(change.from)} → ${value(change.to)}`;
    case 'setting':
      return `step ${change.step} ${change.path}: ${value(change.from)} → ${value(change.to)}`;
  }
}

const settingLine = (change: ValueChange): string => `${change.path}: ${value(change.from)} → ${value(change.to)}`;
const sign = (status: 'added' | 'removed' | 'changed'): string => ({ added: '+', removed: '-', changed: '~' })[status];
const stepSign = (change: StepChange): string => (change.change === 'added' ? '+' : change.change === 'removed' ? '-' : change.change === 'moved' ? '↕' : '~');

/** Plain text for a terminal: word changes as [-old-]{+new+}, like `git diff --word-diff`. */
export function formatDiffText(report: DiffReport): string {
  const lines = [`cadence diff: ${report.base.label}${short(report.base.commit)} → ${report.head.label}${short(report.head.commit)}`];
  const invalid = invalidSides(report);
  if (invalid.length > 0) {
    for (const side of invalid) {
      lines.push('', `${side.label} is invalid, so there is no diff (${side.errors.length} ${side.errors.length === 1 ? 'error' : 'errors'}):`);
      for (const problem of side.errors) lines.push(`  ${problemLine(problem)}`, ...(problem.hint ? [`    hint: ${problem.hint}`] : []));
    }
    return `${lines.join('\n')}\n`;
  }
  const diff = report.diff!;
  if (isEmptyDiff(diff)) return `${lines[0]}\nno changes to sequences, templates, triggers or cadence.yaml\n`;
  for (const sequence of diff.sequences) {
    lines.push('', `${sign(sequence.status)} sequence ${sequence.id} (${sequence.name})${sequence.status === 'changed' ? '' : ` ${sequence.status}`}`);
    if (sequence.status === 'changed') {
      for (const change of sequence.steps) lines.push(`    ${stepSign(change)} ${stepLine(change)}`);
      for (const change of sequence.settings) lines.push(`    ~ ${settingLine(change)}`);
    }
  }
  for (const template of diff.templates) {
    lines.push('', `${sign(template.status)} template ${template.id}${template.status === 'changed' ? '' : ` ${template.status}`}`);
    if (template.status !== 'changed') continue;
    lines.push(...textDiffLines('subject', template.subject, wordsText), ...textDiffLines('body', template.body, wordsText));
    for (const variant of template.variants) {
      lines.push(`    ${sign(variant.status)} variant ${variant.id}${variant.status === 'changed' ? '' : ` ${variant.status}`}`);
      if (variant.status === 'changed') lines.push(...textDiffLines('  subject', variant.subject, wordsText), ...textDiffLines('  body', variant.body, wordsText), ...(variant.weight ? [`      ~ ${settingLine(variant.weight)}`] : []));
    }
    for (const change of template.settings) lines.push(`    ~ ${settingLine(change)}`);
  }
  for (const trigger of diff.triggers) {
    lines.push('', `${sign(trigger.status)} trigger ${trigger.id}${trigger.status === 'changed' ? '' : ` ${trigger.status}`}`);
    if (trigger.status === 'changed') for (const change of trigger.settings) lines.push(`    ~ ${settingLine(change)}`);
  }
  if (diff.config.length > 0) {
    lines.push('', '~ cadence.yaml');
    for (const change of diff.config) lines.push(`    ~ ${settingLine(change)}`);
  }
  return `${lines.join('\n')}\n`;
}

function textDiffLines(label: string, text: TextDiff | undefined, render: (pieces: WordSegment[]) => string): string[] {
  if (!text) return [];
  return [`    ~ ${label}:`, ...changedLines(text.words).map((pieces) => `        ${render(pieces)}`)];
}

function wordsText(pieces: readonly WordSegment[]): string {
  return pieces.map((piece) => (piece.op === 'same' ? piece.text : piece.op === 'del' ? `[-${piece.text}-]` : `{+${piece.text}+}`)).join('');
}

/** Markdown for a pull-request comment: a table per sequence, word changes with <del> and <ins>. */
export function formatDiffMarkdown(report: DiffReport): string {
  const out = [`### cadence diff`, '', `\`${report.base.label}\`${short(report.base.commit)} → \`${report.head.label}\`${short(report.head.commit)}`];
  const invalid = invalidSides(report);
  if (invalid.length > 0) {
    for (const side of invalid) {
      out.push('', `:x: **${escapeMarkdown(side.label)} is invalid**, so there is no diff. Fix these first (\`cadence validate\`):`, '');
      for (const problem of side.errors) out.push(`- \`${problem.code}\` ${escapeMarkdown(problemLocation(problem))}: ${escapeMarkdown(problem.message)}`);
    }
    return `${out.join('\n')}\n`;
  }
  const diff = report.diff!;
  if (isEmptyDiff(diff)) return `${out.join('\n')}\n\nNo changes to sequences, templates, triggers or \`cadence.yaml\`.\n`;
  for (const sequence of diff.sequences) out.push(...sequenceMarkdown(sequence));
  for (const template of diff.templates) out.push(...templateMarkdown(template));
  for (const trigger of diff.triggers) {
    out.push('', `#### Trigger \`${trigger.id}\` — ${trigger.status}`);
    if (trigger.settings.length && trigger.status === 'changed') out.push('', ...settingsTable(trigger.settings));
  }
  if (diff.config.length > 0) out.push('', '#### `cadence.yaml`', '', ...settingsTable(diff.config));
  return `${out.join('\n')}\n`;
}

function sequenceMarkdown(sequence: SequenceDiff): string[] {
  const out = ['', `#### Sequence \`${sequence.id}\` (${escapeMarkdown(sequence.name)}) — ${sequence.status}`];
  if (sequence.status !== 'changed') return out;
  if (sequence.steps.length > 0) {
    out.push('', '| | change |', '| --- | --- |');
    for (const change of sequence.steps) out.push(`| ${stepSign(change)} | ${cell(stepLine(change))} |`);
  }
  if (sequence.settings.length > 0) out.push('', ...settingsTable(sequence.settings));
  return out;
}

function templateMarkdown(template: TemplateDiff): string[] {
  const out = ['', `#### Template \`${template.id}\` — ${template.status}`];
  if (template.status !== 'changed') return out;
  const words = (label: string, text: TextDiff | undefined): string[] => (text ? ['', `**${label}**`, '', '<pre>', ...changedLines(text.words).map(wordsHtml), '</pre>'] : []);
  out.push(...words('Subject', template.subject), ...words('Body', template.body));
  for (const variant of template.variants) {
    out.push('', `Variant \`${variant.id}\` — ${variant.status}`);
    if (variant.status === 'changed') out.push(...words(`Variant ${variant.id} subject`, variant.subject), ...words(`Variant ${variant.id} body`, variant.body), ...(variant.weight ? ['', ...settingsTable([variant.weight])] : []));
  }
  if (template.settings.length > 0) out.push('', ...settingsTable(template.settings));
  return out;
}

function settingsTable(changes: readonly ValueChange[]): string[] {
  return ['| setting | before | after |', '| --- | --- | --- |', ...changes.map((change) => `| \`${change.path}\` | ${cell(value(change.from))} | ${cell(value(change.to))} |`)];
}

function wordsHtml(pieces: readonly WordSegment[]): string {
  return pieces.map((piece) => (piece.op === 'same' ? escapeHtml(piece.text) : `<${piece.op}>${escapeHtml(piece.text)}</${piece.op}>`)).join('');
}

/** The JSON form: both sides (with their errors) and the structured changes. */
export function formatDiffJson(report: DiffReport): string {
  const side = (workspace: WorkspaceSide): unknown => ({ label: workspace.label, commit: workspace.commit, valid: workspace.errors.length === 0, errors: workspace.errors });
  return `${JSON.stringify({ base: side(report.base), head: side(report.head), changes: report.diff ?? null }, null, 2)}\n`;
}

function invalidSides(report: DiffReport): WorkspaceSide[] {
  return [report.base, report.head].filter((side) => side.errors.length > 0);
}

const problemLocation = (problem: Problem): string => (problem.line === undefined ? problem.file : `${problem.file}:${problem.line}:${problem.column ?? 1}`);
const problemLine = (problem: Problem): string => `error ${problem.code}  ${problemLocation(problem)}  ${problem.message}`;
const escapeHtml = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const escapeMarkdown = (text: string): string => escapeHtml(text).replace(/([\\`*_[\]|])/g, '\\$1');
const cell = (text: string): string => escapeMarkdown(text).replace(/\n/g, ' ');
