import {
  MAX_CONDITION_DEPTH,
  MAX_CONDITION_LENGTH,
  type ConditionNode,
  type ParseResult,
} from './ast.js';
import { SyntaxFailure, TokenCursor } from './cursor.js';
import { tokenize, type Token } from './lexer.js';
import { parseComparison } from './parse-comparison.js';

/**
 * Parses a condition such as `status = "MQL" and tier in ("A", "B")`.
 *
 * Precedence is `not` > `and` > `or`; keywords are case-insensitive; `lead.status` is
 * read as `status`. Every condition must be a comparison: a bare field (`vip`) is an
 * error. Input longer than {@link MAX_CONDITION_LENGTH} characters or nested deeper than
 * {@link MAX_CONDITION_DEPTH} levels is rejected with an error, never a stack overflow.
 * Errors carry the 1-based column of the offending character.
 */
export function parseCondition(source: string): ParseResult {
  if (source.length > MAX_CONDITION_LENGTH) {
    return failure(MAX_CONDITION_LENGTH + 1, `condition is too long (at most ${MAX_CONDITION_LENGTH} characters)`);
  }
  if (source.trim() === '') {
    return failure(1, 'empty condition', 'write a comparison, e.g. status = "MQL"');
  }
  try {
    const cursor = new TokenCursor(tokenize(source), source);
    const ast = new Parser(cursor).parseOr(0);
    const rest = cursor.peek();
    if (rest.kind === ')') cursor.fail(rest, "unexpected ')'", "it has no matching '('");
    if (rest.kind !== 'end') {
      cursor.fail(rest, `unexpected ${cursor.describe(rest)} after the condition`, 'join conditions with and / or');
    }
    return { ok: true, ast };
  } catch (caught) {
    if (caught instanceof SyntaxFailure) return { ok: false, error: caught.error };
    throw caught;
  }
}

function failure(column: number, message: string, hint?: string): ParseResult {
  return { ok: false, error: { code: 'COND_SYNTAX', message, column, ...(hint ? { hint } : {}) } };
}

class Parser {
  constructor(private readonly cursor: TokenCursor) {}

  /** `after` is the token before this expression, for "expected a condition after 'and'". */
  parseOr(depth: number, after?: Token): ConditionNode {
    return this.parseChain('or', after, (before) => this.parseAnd(depth, before));
  }

  private parseAnd(depth: number, after?: Token): ConditionNode {
    return this.parseChain('and', after, (before) => this.parseUnary(depth, before));
  }

  /** `operand (word operand)*`, flattened into one node; a single operand is returned as is. */
  private parseChain(word: 'and' | 'or', after: Token | undefined, operand: (after?: Token) => ConditionNode) {
    const column = this.cursor.peek().column;
    const operands = [operand(after)];
    for (let joiner = this.cursor.keyword(word); joiner; joiner = this.cursor.keyword(word)) {
      operands.push(operand(joiner));
    }
    return operands.length === 1 ? operands[0]! : { kind: word, operands, column };
  }

  private parseUnary(depth: number, after?: Token): ConditionNode {
    const not = this.cursor.keyword('not');
    if (!not) return this.parsePrimary(depth, after);
    this.checkDepth(not, depth + 1);
    return { kind: 'not', operand: this.parseUnary(depth + 1, not), column: not.column };
  }

  private parsePrimary(depth: number, after?: Token): ConditionNode {
    const token = this.cursor.peek();
    if (token.kind !== '(') return parseComparison(this.cursor, after);
    this.checkDepth(token, depth + 1);
    this.cursor.next();
    const inner = this.parseOr(depth + 1, token);
    const close = this.cursor.peek();
    if (close.kind === 'end') this.cursor.fail(token, "unclosed '('", "add ')' to close it");
    if (close.kind !== ')') this.cursor.expected(close, "expected ')'", 'join conditions with and / or');
    this.cursor.next();
    return inner;
  }

  private checkDepth(token: Token, depth: number): void {
    if (depth > MAX_CONDITION_DEPTH) {
      this.cursor.fail(token, `conditions nest too deeply (at most ${MAX_CONDITION_DEPTH} levels)`, 'simplify the condition');
    }
  }
}
