import { draftSegments } from '../engine/task-draft-markers.js';
import { displayWidth } from '../util/width.js';

/** A piece of a screen line: text, drawn as an editable region or in a style. */
export interface Part {
  text: string;
  style?: 'region' | 'heading' | 'dim' | 'warning' | 'error';
}
export type Line = Part[];

/** Lines of a marked draft (`[[name]]…[[/name]]`), the regions highlighted; plain lines when the markers do not pair. */
export function markedLines(text: string): Line[] {
  const segments = draftSegments(text) ?? [{ kind: 'locked' as const, text }];
  const lines: Line[] = [[]];
  for (const segment of segments) {
    segment.text.split('\n').forEach((piece, index) => {
      if (index > 0) lines.push([]);
      if (piece) lines.at(-1)!.push(segment.kind === 'region' ? { text: piece, style: 'region' } : { text: piece });
    });
  }
  return lines;
}

/** Wraps each line to `width` display columns (full-width characters count two), keeping styles. */
export function wrapLines(lines: readonly Line[], width: number): Line[] {
  const out: Line[] = [];
  for (const line of lines) {
    let current: Line = [];
    let used = 0;
    for (const part of line) {
      let text = '';
      for (const char of part.text) {
        const w = displayWidth(char);
        if (used + w > width) {
          if (text) current.push({ ...part, text });
          out.push(current);
          current = [];
          used = 0;
          text = '';
        }
        text += char;
        used += w;
      }
      if (text) current.push({ ...part, text });
    }
    out.push(current);
  }
  return out;
}
