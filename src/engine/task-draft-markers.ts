/**
 * A manual email as the rep edits it: a `Subject:` line, a blank line, the body. Editable
 * regions are marked `[[name]]…[[/name]]`; the text outside them is locked. Lines
 * starting with `#` before the subject are instructions, not part of the email.
 * (No Liquid here: the task list draws drafts before the template engine is loaded.)
 */
export const OPEN = (name: string): string => `[[${name}]]`;
export const CLOSE = (name: string): string => `[[/${name}]]`;
const MARKER = /\[\[(\/?)([^\][\n]+)\]\]/g;

export type DraftSegment = { kind: 'locked'; text: string } | { kind: 'region'; name: string; text: string };

/** Splits marked text into locked text and regions; undefined when the markers do not pair up. */
export function draftSegments(text: string): DraftSegment[] | undefined {
  const segments: DraftSegment[] = [];
  let position = 0;
  let open: { name: string; start: number } | undefined;
  for (const match of text.matchAll(MARKER)) {
    const [marker, slash, name] = match as unknown as [string, string, string];
    if (!slash) {
      if (open) return undefined;
      segments.push({ kind: 'locked', text: text.slice(position, match.index) });
      open = { name, start: match.index + marker.length };
    } else {
      if (!open || open.name !== name) return undefined;
      segments.push({ kind: 'region', name, text: text.slice(open.start, match.index) });
      open = undefined;
    }
    position = match.index + marker.length;
  }
  if (open) return undefined;
  segments.push({ kind: 'locked', text: text.slice(position) });
  return segments;
}

/** The text without its markers. */
export function unmarked(text: string): string {
  return text.replace(MARKER, '');
}
