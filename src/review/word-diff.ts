/** A run of text that is in both versions, only the old one, or only the new one. */
export interface WordSegment {
  op: 'same' | 'del' | 'ins';
  text: string;
}

// Words, runs of white space, single Japanese characters and single punctuation marks.
// Japanese is compared a character at a time (it has no spaces between words), ー, 々 and
// 〆 too (Unicode files ー under no script); a word of other letters never runs on into
// Japanese text.
const CJK = '\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}\\u30FC\\u3005\\u3006';
const TOKEN = new RegExp(`\\s+|[${CJK}]|(?:(?![${CJK}])[\\p{L}\\p{N}_])+|.`, 'gsu');
/** Past this many cells the middle is shown as replaced whole rather than aligned word by word. */
const MAX_CELLS = 4_000_000;

/** A word-level diff of two texts: the longest common run of tokens kept, the rest deleted or inserted. */
export function wordDiff(before: string, after: string): WordSegment[] {
  const a = before.match(TOKEN) ?? [];
  const b = after.match(TOKEN) ?? [];
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const segments: WordSegment[] = [];
  const push = (op: WordSegment['op'], text: string): void => {
    if (text === '') return;
    const last = segments.at(-1);
    if (last && last.op === op) last.text += text;
    else segments.push({ op, text });
  };
  push('same', a.slice(0, start).join(''));
  for (const [op, token] of alignMiddle(a.slice(start, endA), b.slice(start, endB))) push(op, token);
  push('same', a.slice(endA).join(''));
  return orderChanges(segments);
}

function alignMiddle(a: string[], b: string[]): [WordSegment['op'], string][] {
  if ((a.length + 1) * (b.length + 1) > MAX_CELLS) return [...a.map((token) => ['del', token] as [WordSegment['op'], string]), ...b.map((token) => ['ins', token] as [WordSegment['op'], string])];
  // lengths[i][j]: the longest common subsequence of a[i..] and b[j..].
  const width = b.length + 1;
  const lengths = new Uint32Array((a.length + 1) * width);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lengths[i * width + j] = a[i] === b[j] ? lengths[(i + 1) * width + j + 1]! + 1 : Math.max(lengths[(i + 1) * width + j]!, lengths[i * width + j + 1]!);
    }
  }
  const out: [WordSegment['op'], string][] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      out.push(['same', a[i]!]);
      i++;
      j++;
    } else if (j >= b.length || (i < a.length && lengths[(i + 1) * width + j]! >= lengths[i * width + j + 1]!)) {
      out.push(['del', a[i]!]);
      i++;
    } else {
      out.push(['ins', b[j]!]);
      j++;
    }
  }
  return out;
}

/**
 * Reads better: a lone space kept between a deletion and an insertion is folded into both
 * ("[-quick question-]{+short note+}" rather than "[-quick-]{+short+} [-question-]{+note+}"),
 * and within a change the deletion comes first.
 */
function orderChanges(segments: WordSegment[]): WordSegment[] {
  const out: WordSegment[] = [];
  for (let index = 0; index < segments.length; index++) {
    const segment = segments[index]!;
    const previous = out.at(-1);
    const next = segments[index + 1];
    if (segment.op === 'same' && /^[ \t]+$/.test(segment.text) && previous && previous.op !== 'same' && next && next.op !== 'same' && out.length >= 1) {
      appendChange(out, 'del', segment.text);
      appendChange(out, 'ins', segment.text);
      continue;
    }
    if (segment.op === 'same') out.push({ ...segment });
    else appendChange(out, segment.op, segment.text);
  }
  return out;
}

/** Adds to the change at the end of `out` (a del then an ins), keeping the deletion first. */
function appendChange(out: WordSegment[], op: 'del' | 'ins', text: string): void {
  const last = out.at(-1);
  const beforeLast = out.at(-2);
  if (last?.op === op) last.text += text;
  else if (op === 'del' && last?.op === 'ins' && beforeLast?.op === 'del') beforeLast.text += text;
  else if (op === 'del' && last?.op === 'ins') out.splice(out.length - 1, 0, { op, text });
  else out.push({ op, text });
}

/**
 * The lines a diff touches, each as its segments, for showing only what changed. Lines are
 * the new text's: a deleted line end stays inside its line, shown as ¶, and an inserted one
 * is marked ¶ where it breaks the line.
 */
export function changedLines(segments: readonly WordSegment[]): WordSegment[][] {
  const lines: WordSegment[][] = [[]];
  for (const segment of segments) {
    const parts = segment.op === 'del' ? [segment.text.replace(/\n/g, '¶')] : segment.text.split('\n');
    parts.forEach((part, index) => {
      if (index > 0) {
        // An inserted line end is marked too, at the end of the line it breaks.
        if (segment.op === 'ins') lines.at(-1)!.push({ op: 'ins', text: '¶' });
        lines.push([]);
      }
      if (part !== '') lines.at(-1)!.push({ op: segment.op, text: part });
    });
  }
  return lines.filter((line) => line.some((piece) => piece.op !== 'same'));
}
