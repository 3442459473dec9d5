import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, Scalar, type Document, type Node } from 'yaml';
import type { Position, ProblemList } from './problems.js';

export type YamlPath = readonly (string | number)[];

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
    for (const error of doc.errors) {
      const code = error.code === 'DUPLICATE_KEY' ? 'YAML_DUPLICATE_KEY' : 'YAML_SYNTAX';
      const message = error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
      problems.error(code, file, yamlFile.position(error.pos[0]), message, yamlHint(error.code));
    }
    return doc.errors.length > 0 ? undefined : yamlFile;
  }

  /** The plain JavaScript value of the document. */
  value(): unknown {
    return this.doc.toJS({ maxAliasCount: 100 });
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
   */
  insideScalar(path: YamlPath, line: number, column: number): Position {
    const node = this.doc.getIn(path, true);
    if (!isScalar(node) || !node.range) return this.at(path);
    const start = this.position(node.range[0]);
    if (node.type === Scalar.BLOCK_LITERAL || node.type === Scalar.BLOCK_FOLDED) {
      const lines = this.text.split('\n');
      const firstContentLine = start.line + 1;
      const indent = blockIndent(lines, firstContentLine - 1);
      return { line: firstContentLine + line - 1, column: indent + column };
    }
    const quoted = node.type === Scalar.QUOTE_DOUBLE || node.type === Scalar.QUOTE_SINGLE ? 1 : 0;
    if (line === 1) return { line: start.line, column: start.column + quoted + column - 1 };
    return { line: start.line + line - 1, column };
  }

  /** Every map at `path` lists its keys; for schema errors that need the allowed keys. */
  isSequenceAt(path: YamlPath): boolean {
    return isSeq(this.doc.getIn(path, true));
  }
}

function blockIndent(lines: readonly string[], fromIndex: number): number {
  for (let i = fromIndex; i < lines.length; i++) {
    const text = lines[i]!;
    if (text.trim() === '') continue;
    return text.length - text.trimStart().length;
  }
  return 0;
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
