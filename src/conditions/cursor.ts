import type { ConditionSyntaxError } from './ast.js';
import type { Token } from './lexer.js';

/** Words that cannot be a bare field name; `lead.in` still reaches a field called `in`. */
export const KEYWORDS = new Set([
  'and', 'or', 'not', 'in', 'is', 'empty', 'contains', 'starts', 'with', 'true', 'false', 'null',
]);

/** Thrown inside the parser and turned into the `{ ok: false }` result; never escapes. */
export class SyntaxFailure {
  constructor(readonly error: ConditionSyntaxError) {}
}

/** The token stream with the helpers both parser files use. */
export class TokenCursor {
  private index = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly source: string,
  ) {}

  peek(): Token {
    const token = this.tokens[this.index]!;
    if (token.kind === 'invalid') throw new SyntaxFailure(token.error);
    return token;
  }

  next(): Token {
    const token = this.peek();
    if (token.kind !== 'end') this.index++;
    return token;
  }

  /** The current token if it is the keyword `word` (case-insensitive), consumed. */
  keyword(word: string): Token | undefined {
    const token = this.peek();
    if (token.kind !== 'word' || token.prefixed || token.lower !== word) return undefined;
    return this.next();
  }

  /** How a token is quoted in a message: `'and'`, `'"MQL"'`, `the end`. */
  describe(token: Token): string {
    if (token.kind === 'end') return 'the end';
    const text = this.source.slice(token.column - 1, token.column - 1 + token.length);
    return `'${text.length > 24 ? `${text.slice(0, 23)}…` : text}'`;
  }

  /** Fails at `token` with "MESSAGE, found X" (just MESSAGE where the input ended). */
  expected(token: Token, message: string, hint?: string): never {
    this.fail(token, token.kind === 'end' ? message : `${message}, found ${this.describe(token)}`, hint);
  }

  /** Fails at a token, or at any span of the source. */
  fail(at: { column: number; length: number }, message: string, hint?: string): never {
    throw new SyntaxFailure({
      code: 'COND_SYNTAX',
      message,
      column: at.column,
      ...(at.length > 0 ? { length: at.length } : {}),
      ...(hint ? { hint } : {}),
    });
  }
}
