import type { Liquid } from 'liquidjs';

export interface TemplateToken {
  /** The variable's path, such as `['lead', 'first_name']`. */
  path: string[];
  line: number;
  column: number;
}

export interface EditableRegion {
  name: string;
  line: number;
  column: number;
}

export interface TemplateAnalysis {
  tokens: TemplateToken[];
  regions: EditableRegion[];
  syntaxError?: { message: string; line: number; column: number };
}

/**
 * What a template source uses: the global variables it reads (with positions inside the
 * source) and its editable regions. A syntax error is returned, not thrown.
 */
export function analyzeTemplateSource(liquid: Liquid, source: string): TemplateAnalysis {
  let parsed;
  try {
    parsed = liquid.parse(source);
  } catch (error) {
    return { tokens: [], regions: [], syntaxError: liquidErrorPosition(error) };
  }
  const analysis = liquid.analyzeSync(parsed, { partials: false });
  const tokens: TemplateToken[] = [];
  for (const variables of Object.values(analysis.globals)) {
    for (const variable of variables) {
      tokens.push({
        path: variable.toArray().map((segment) => (Array.isArray(segment) ? '*' : String(segment))),
        line: variable.location.row,
        column: variable.location.col,
      });
    }
  }
  tokens.sort((a, b) => a.line - b.line || a.column - b.column);
  return { tokens, regions: editableRegions(source) };
}

const REGION = /\{%-?\s*editable\s+(?:"([^"]*)"|'([^']*)'|([A-Za-z_][\w-]*))/g;

function editableRegions(source: string): EditableRegion[] {
  const regions: EditableRegion[] = [];
  for (const match of source.matchAll(REGION)) {
    const before = source.slice(0, match.index);
    const line = before.split('\n').length;
    const column = match.index - before.lastIndexOf('\n');
    regions.push({ name: match[1] ?? match[2] ?? match[3] ?? '', line, column });
  }
  return regions;
}

/** liquidjs errors end in ", line:L, col:C"; their token knows the position too. */
export function liquidErrorPosition(error: unknown): { message: string; line: number; column: number } {
  const raw = error instanceof Error ? error.message : String(error);
  const message = raw.replace(/, line:\d+, col:\d+$/, '');
  const token = (error as { token?: { getPosition?: () => [number, number] } }).token;
  const position = token?.getPosition?.();
  if (position) return { message, line: position[0], column: position[1] };
  const match = /line:(\d+), col:(\d+)$/.exec(raw);
  return { message, line: match ? Number(match[1]) : 1, column: match ? Number(match[2]) : 1 };
}
