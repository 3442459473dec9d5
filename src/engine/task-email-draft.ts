import type { Liquid } from 'liquidjs';
import { EditableTag, createLiquid } from '../render/liquid.js';
import { CLOSE, OPEN, draftSegments, unmarked, type DraftSegment } from './task-draft-markers.js';

export { draftSegments, unmarked, type DraftSegment };

/** Renders `{% editable %}` as its content between markers, so the draft shows what may change. */
class MarkedEditableTag extends EditableTag {
  override *render(...args: Parameters<EditableTag['render']>): ReturnType<EditableTag['render']> {
    const [, emitter] = args;
    emitter.write(OPEN(this.regionName));
    yield* super.render(...args);
    emitter.write(CLOSE(this.regionName));
  }
}

/** A Liquid like the engine's, whose editable regions come out marked. */
export function createMarkingLiquid(): Liquid {
  const liquid = createLiquid();
  liquid.registerTag('editable', MarkedEditableTag);
  return liquid;
}

/** The file the rep edits: instructions, then the email with its regions marked (or not, in full edit). */
export function draftFileText(draft: { subject: string; body: string }, heading: readonly string[]): string {
  return `${heading.map((line) => `# ${line}`.trimEnd()).join('\n')}\nSubject: ${draft.subject}\n\n${draft.body.replace(/\n*$/, '\n')}`;
}

export type DraftCheck = { ok: true; subject: string; body: string; marked: string } | { ok: false; code: 'DRAFT_LOCKED_TEXT' | 'DRAFT_REGIONS_CHANGED' | 'DRAFT_BAD_SUBJECT'; message: string; region?: string; line?: number };

/** How many '#' heading lines open the draft file. */
function headingLines(text: string): number {
  const lines = normalize(text).split('\n');
  const first = lines.findIndex((line) => !line.startsWith('#'));
  return first < 0 ? lines.length : first;
}

/**
 * Checks an edited draft against the original: outside full edit, only the text inside
 * the regions may differ, and the region markers must all still be there, in order. A
 * refusal names the region the changed locked text follows (or precedes) and its line.
 */
export function checkDraft(original: string, edited: string, fullEdit: boolean): DraftCheck {
  const email = (text: string): string => normalize(text).split('\n').filter((line, index, lines) => !(line.startsWith('#') && lines.slice(0, index).every((before) => before.startsWith('#')))).join('\n');
  const before = email(original);
  const after = email(edited);
  const split = (text: string): { subject: string; body: string } | undefined => {
    const match = /^Subject: ?([^\n]*)\n\n?([\s\S]*)$/.exec(text);
    return match ? { subject: match[1]!, body: match[2]! } : undefined;
  };
  const parts = split(after);
  if (!parts) return { ok: false, code: 'DRAFT_BAD_SUBJECT', message: 'the draft must start with a "Subject:" line, then a blank line and the body', line: 1 };
  if (!fullEdit) {
    const was = draftSegments(before) ?? [];
    const now = draftSegments(after);
    const names = (segments: DraftSegment[]): string[] => segments.flatMap((segment) => (segment.kind === 'region' ? [segment.name] : []));
    if (!now || names(now).join('\u0000') !== names(was).join('\u0000')) {
      const missing = names(was).find((name) => !after.includes(OPEN(name)) || !after.includes(CLOSE(name)));
      return { ok: false, code: 'DRAFT_REGIONS_CHANGED', message: `the markers of region "${missing ?? names(was)[0] ?? '?'}" were removed or changed: keep every [[name]] and [[/name]] as it was`, ...(missing ? { region: missing } : {}) };
    }
    const regions = names(was);
    let offset = 0;
    for (let index = 0; index < now.length; index++) {
      const segment = now[index]!;
      const original = was[index]!;
      if (segment.kind === 'locked' && segment.text !== original.text) {
        const region = Math.floor(index / 2);
        const where = region === 0 ? `before region "${regions[0]}"` : region >= regions.length ? `after region "${regions.at(-1)}"` : `between regions "${regions[region - 1]}" and "${regions[region]}"`;
        // The line in the file the rep edited: the '#' heading lines above the email count.
        const line = after.slice(0, offset + commonPrefix(segment.text, original.text)).split('\n').length + headingLines(edited);
        return { ok: false, code: 'DRAFT_LOCKED_TEXT', message: `the locked text ${regions.length ? where : 'of the email'} was changed (line ${line} of the file): only the marked regions may change`, region: regions[Math.min(region, regions.length - 1)] ?? '', line };
      }
      offset += segment.kind === 'region' ? OPEN(segment.name).length + segment.text.length + CLOSE(segment.name).length : segment.text.length;
    }
  }
  const subject = unmarked(parts.subject).trim();
  if (subject === '') return { ok: false, code: 'DRAFT_BAD_SUBJECT', message: 'the subject is empty', line: 1 };
  return { ok: true, subject, body: unmarked(parts.body), marked: after };
}

function normalize(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(/\n*$/, '\n');
}

function commonPrefix(a: string, b: string): number {
  let index = 0;
  while (index < a.length && a[index] === b[index]) index++;
  return index;
}
