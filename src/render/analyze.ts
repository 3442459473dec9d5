import { Tokenizer, TokenKind, type Liquid } from 'liquidjs';

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
    const unclosed = unclosedDelimiter(liquid, source);
    if (unclosed) return { tokens: [], regions: [], syntaxError: unclosed };
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

/**
 * An output or tag left open (`Hi {{ lead.first_name ,`) runs on to the next `}}` or `%}`, and
 * liquidjs reads it without complaint: the text and tokens it swallowed silently vanish.
 */
function unclosedDelimiter(liquid: Liquid, source: string): TemplateAnalysis['syntaxError'] {
  for (const token of new Tokenizer(source, liquid.options.operators).readTopLevelTokens(liquid.options)) {
    if (token.kind !== TokenKind.Output && token.kind !== TokenKind.Tag) continue;
    const text = token.getText();
    if (!/\{\{|\{%/.test(text.slice(2))) continue;
    const [line = 1, column = 1] = token.getPosition();
    const kind = token.kind === TokenKind.Output ? 'output' : 'tag';
    return { message: `${kind} "${text.split('\n')[0]!.trim()}" is not closed: it runs on into the next "${/\{\{|\{%/.exec(text.slice(2))![0]}"`, line, column };
  }
  return undefined;
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
  // `output "{{ lead.first_name\n\nThanks fo..." not closed` (escaped): quote the first line only.
  const message = raw.replace(/, line:\d+, col:\d+$/, '').replace(/^((?:output|tag) ".*?)\s*\\n.*(" not closed)$/, '$1$2');
  const token = (error as { token?: { getPosition?: () => [number, number] } }).token;
  const position = token?.getPosition?.();
  if (position) return { message, line: position[0], column: position[1] };
  const match = /line:(\d+), col:(\d+)$/.exec(raw);
  return { message, line: match ? Number(match[1]) : 1, column: match ? Number(match[2]) : 1 };
}
