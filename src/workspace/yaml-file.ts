import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, Scalar, visit, type Alias, type Document, type Node, type YAMLError } from 'yaml';
import type { Position, ProblemList } from './problems.js';

export type YamlPath = readonly (string | number)[];

/**
 * How far aliases may expand (the yaml library's count of alias uses times the aliases
 * inside their anchors): enough for any real workspace file, too few for a "billion
 * laughs" file that nests aliases to exhaust memory.
 */
const MAX_ALIAS_COUNT = 100;

/** A parsed workspace file that can tell where any of its values stands. */
export class YamlFile {
  readonly doc: Document.Parsed;
  private readonly lineCounter: LineCounter;

  private constructor(
    readonly file: string,
    readonly text: string,
    doc: Document.Parsed,
    lineCounter: LineCounter,
  ) {
    this.doc = doc;
    this.lineCounter = lineCounter;
  }

  /**
   * Parses `text`; syntax errors and duplicate keys are added to `problems`.
   * Returns undefined when the file cannot be read as YAML at all.
   */
  static parse(file: string, text: string, problems: ProblemList): YamlFile | undefined {
    const lineCounter = new LineCounter();
    const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
    const yamlFile = new YamlFile(file, text, doc, lineCounter);
    const reported = new Set<number>();
    for (const error of doc.errors) {
      // The parser may report one mistake several times at the same spot: keep the first.
      if (reported.has(error.pos[0])) continue;
      reported.add(error.pos[0]);
      const code = error.code === 'DUPLICATE_KEY' ? 'YAML_DUPLICATE_KEY' : 'YAML_SYNTAX';
      const message = error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
      const quote = unclosedQuote(doc, error);
      problems.error(code, file, yamlFile.position(quote ?? errorOffset(text, error)), message, quote === undefined ? yamlHint(error.code) : 'close the quote at the end of the value; inside "..." write \\" for a quote, inside \'...\' write \'\'');
    }
    if (doc.errors.length > 0) return undefined;
    return yamlFile.aliasesWithinLimit(problems) ? yamlFile : undefined;
  }

  /** The plain JavaScript value of the document; `parse` has checked that its aliases stay within the limit. */
  value(): unknown {
    return this.doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  }

  /**
   * Whether the aliases expand within the limit; if not, a problem at the first alias.
   * Checked once here, so `value()` cannot fail for the callers that take the value.
   */
  private aliasesWithinLimit(problems: ProblemList): boolean {
    let first: Alias | undefined;
    visit(this.doc, {
      Alias(_, node) {
        first = node;
        return visit.BREAK;
      },
    });
    if (first === undefined) return true; // no aliases, nothing to expand
    try {
      this.value();
      return true;
    } catch (error) {
      if (!(error instanceof ReferenceError && /alias count/i.test(error.message))) throw error;
      problems.error(
        'YAML_ALIAS_LIMIT',
        this.file,
        this.position(first.range?.[0] ?? 0),
        `the aliases in ${this.file} (from *${first.source} on) expand to more than ${MAX_ALIAS_COUNT} copies of their anchors, so the file is not read`,
        'write the repeated values out, or use fewer and less nested aliases; the limit guards against "billion laughs" files that exhaust memory',
      );
      return false;
    }
  }

  position(offset: number): Position {
    const { line, col } = this.lineCounter.linePos(offset);
    return { line, column: col };
  }

  /** The node at `path`, or the nearest ancestor that exists. */
  nodeAt(path: YamlPath): Node | undefined {
    for (let depth = path.length; depth >= 0; depth--) {
      const node = this.doc.getIn(path.slice(0, depth), true);
      if (node && typeof node === 'object' && 'range' in node) return node as Node;
      if (depth === 0) return (this.doc.contents as Node | null) ?? undefined;
    }
    return undefined;
  }

  /** Where the value at `path` starts (or the nearest ancestor's value). */
  at(path: YamlPath): Position {
    const node = this.nodeAt(path);
    return this.position(node?.range?.[0] ?? 0);
  }

  /** Where the key `key` of the map at `path` starts: for unknown or misspelt keys. */
  keyAt(path: YamlPath, key: string): Position {
    const map = this.doc.getIn(path, true);
    if (isMap(map)) {
      for (const pair of map.items) {
        if (isPair(pair) && isScalar(pair.key) && String(pair.key.value) === key && pair.key.range) {
          return this.position(pair.key.range[0]);
        }
      }
    }
    return this.at(path);
  }

  /**
   * Where a position inside a string value stands in the file: `line` and `column`
   * are 1-based within the string (as a template or condition parser reports them).
   * Folded, quoted and multi-line values are followed through the file text, so a
   * condition written over several lines is pointed at on the right line.
   */
  insideScalar(path: YamlPath, line: number, column: number): Position {
    const node = this.doc.getIn(path, true);
    if (!isScalar(node) || !node.range || typeof node.value !== 'string') return this.at(path);
    const index = node.value.split('\n').slice(0, line - 1).reduce((sum, text) => sum + text.length + 1, 0) + column - 1;
    const offset = sourceOffset(this.text, node, index);
    return offset === undefined ? this.at(path) : this.position(offset);
  }

  /** Every map at `path` lists its keys; for schema errors that need the allowed keys. */
  isSequenceAt(path: YamlPath): boolean {
    return isSeq(this.doc.getIn(path, true));
  }
}

/**
 * The file offset of character `index` of a scalar's value: walks the value and the file
 * text side by side, skipping indentation, folded line breaks, escapes and '' in quotes.
 * Undefined when the two cannot be matched.
 */
function sourceOffset(text: string, node: Scalar, index: number): number | undefined {
  const value = node.value as string;
  const block = node.type === Scalar.BLOCK_LITERAL || node.type === Scalar.BLOCK_FOLDED;
  const quoted = node.type === Scalar.QUOTE_DOUBLE || node.type === Scalar.QUOTE_SINGLE;
  const end = node.range![1];
  let j = block ? text.indexOf('\n', node.range![0]) + 1 : node.range![0] + (quoted ? 1 : 0);
  const space = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\r';
  for (let i = 0; i < value.length && j > 0 && j < end; ) {
    const c = text[j]!;
    if (space(c) && !space(value[i])) {
      j++; // indentation that is not part of the value
      continue;
    }
    if (node.type === Scalar.QUOTE_DOUBLE && c === '\\' && (text[j + 1] === '\n' || text[j + 1] === '\r')) {
      for (j++; space(text[j]); j++); // an escaped line break joins the lines
      continue;
    }
    if (i === index) return j;
    if (node.type === Scalar.QUOTE_DOUBLE && c === '\\') {
      const next = text[j + 1];
      j += next === 'x' ? 4 : next === 'u' ? 6 : next === 'U' ? 10 : 2;
      i++;
    } else if (node.type === Scalar.QUOTE_SINGLE && c === "'" && text[j + 1] === "'") {
      j += 2;
      i++;
    } else if (c === value[i]) {
      i++;
      j++;
    } else if (space(c) && space(value[i])) {
      for (; space(value[i]) && i !== index; i++); // a folded line break, with the indentation around it
      for (; space(text[j]); j++);
    } else {
      return undefined;
    }
  }
  return j > 0 && j <= end ? j : undefined;
}

/** Where an unclosed quoted value starts: the parser reports it where the file ends. */
function unclosedQuote(doc: Document.Parsed, error: YAMLError): number | undefined {
  if (error.code !== 'MISSING_CHAR' || !/^Missing closing .quote/.test(error.message)) return undefined;
  let start: number | undefined;
  visit(doc, {
    Scalar(_, node) {
      const quoted = node.type === Scalar.QUOTE_DOUBLE || node.type === Scalar.QUOTE_SINGLE;
      if (quoted && node.range && node.range[1] === error.pos[0]) start ??= node.range[0];
    },
  });
  return start;
}

/** An indentation error points at the start of the line: move it to the misplaced key. */
function errorOffset(text: string, error: YAMLError): number {
  return error.pos[0] + /^ */.exec(text.slice(error.pos[0], error.pos[0] + 200))![0].length;
}

function yamlHint(code: string): string | undefined {
  switch (code) {
    case 'DUPLICATE_KEY':
      return 'each key may appear once in a map; remove or rename one of them';
    case 'TAB_AS_INDENT':
      return 'indent with spaces, not tabs';
    case 'BAD_INDENT':
    case 'MISSING_CHAR':
      return 'check the indentation of this line and the one above it';
    case 'MULTILINE_IMPLICIT_KEY':
    case 'BLOCK_AS_IMPLICIT_KEY':
      return 'a value containing ": " needs quotes; check the indentation too';
    default:
      return undefined;
  }
}
