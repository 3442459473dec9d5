import type { ConditionSyntaxError } from './ast.js';

export type OperatorText = '=' | '!=' | '<>' | '<' | '<=' | '>' | '>=';

interface At {
  /** 1-based, UTF-16 code units. */
  column: number;
  length: number;
}

export type Token = At &
  (
    | { kind: 'word'; text: string; lower: string; prefixed: boolean }
    | { kind: 'string'; value: string }
    | { kind: 'number'; value: number }
    | { kind: 'operator'; text: OperatorText }
    | { kind: '(' | ')' | ',' | 'end' }
    // A lexical error becomes a token, so the parser reports whichever problem comes first.
    | { kind: 'invalid'; error: ConditionSyntaxError }
  );

const IDENT_START = /[A-Za-z_]/;
const IDENT_PART = /[A-Za-z0-9_]/;
const DIGIT = /[0-9]/;
const ESCAPES: Record<string, string> = { '\\': '\\', '"': '"', "'": "'", n: '\n', t: '\t', r: '\r' };
/** Mistyped operators, with what to type instead. */
const MISTAKES: [string, string][] = [
  ['===', 'use = to compare'],
  ['==', 'use = to compare'],
  ['!==', 'use != to compare'],
  ['=>', 'use >='],
  ['=<', 'use <='],
  ['&&', 'use and / or'],
  ['||', 'use and / or'],
  ['&', 'use and / or'],
];
const OPERATORS: OperatorText[] = ['!=', '<>', '<=', '>=', '=', '<', '>'];

/** Splits a condition into tokens; the last token is `end`, or `invalid` at the first lexical error. */
export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const invalid = (index: number, length: number, message: string, hint?: string): Token => ({
    kind: 'invalid',
    column: index + 1,
    length,
    error: { code: 'COND_SYNTAX', message, column: index + 1, ...(length > 0 ? { length } : {}), ...(hint ? { hint } : {}) },
  });

  while (i < source.length) {
    const c = source[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const start = i;
    if (IDENT_START.test(c)) {
      const token = readWord(source, i);
      if ('error' in token) return [...tokens, invalid(token.index, token.length, token.error, token.hint)];
      tokens.push(token.token);
      i = token.end;
    } else if (DIGIT.test(c) || (c === '-' && DIGIT.test(source[i + 1] ?? ''))) {
      const match = /^-?[0-9]+(\.[0-9]+)?/.exec(source.slice(i))![0];
      const next = source[i + match.length] ?? '';
      if (IDENT_PART.test(next) || next === '.') {
        const bad = /^[-.A-Za-z0-9_]+/.exec(source.slice(i))![0];
        return [...tokens, invalid(i, bad.length, `invalid number '${bad}'`, 'numbers look like 42, -7 or 3.5')];
      }
      tokens.push({ kind: 'number', value: Number(match), column: start + 1, length: match.length });
      i += match.length;
    } else if (c === '"' || c === "'") {
      const read = readString(source, i);
      if ('error' in read) return [...tokens, invalid(read.index, read.length, read.error, read.hint)];
      tokens.push({ kind: 'string', value: read.value, column: start + 1, length: read.end - start });
      i = read.end;
    } else if (c === '(' || c === ')' || c === ',') {
      tokens.push({ kind: c, column: start + 1, length: 1 });
      i++;
    } else {
      const rest = source.slice(i, i + 3);
      const mistake = MISTAKES.find(([text]) => rest.startsWith(text));
      if (mistake) return [...tokens, invalid(i, mistake[0].length, `unknown operator '${mistake[0]}'`, mistake[1])];
      const operator = OPERATORS.find((text) => rest.startsWith(text));
      if (operator) {
        tokens.push({ kind: 'operator', text: operator, column: start + 1, length: operator.length });
        i += operator.length;
        continue;
      }
      const char = String.fromCodePoint(source.codePointAt(i)!);
      return [...tokens, invalid(i, char.length, `unexpected character '${char}'`, hintForCharacter(char))];
    }
  }
  const last = tokens.at(-1);
  tokens.push({ kind: 'end', column: last ? last.column + last.length : 1, length: 0 });
  return tokens;
}

type Read<T> = T | { error: string; hint?: string; index: number; length: number };

function readWord(source: string, i: number): Read<{ token: Token; end: number }> {
  let end = i;
  while (end < source.length && IDENT_PART.test(source[end]!)) end++;
  const text = source.slice(i, end);
  if (source[end] !== '.') {
    return { token: { kind: 'word', text, lower: text.toLowerCase(), prefixed: false, column: i + 1, length: end - i }, end };
  }
  if (text !== 'lead') {
    return { error: "unexpected '.'", hint: 'fields are written as name or lead.name', index: end, length: 1 };
  }
  const fieldStart = end + 1;
  let fieldEnd = fieldStart;
  if (!IDENT_START.test(source[fieldStart] ?? '')) {
    return { error: "expected a field name after 'lead.'", index: fieldStart, length: 0 };
  }
  while (fieldEnd < source.length && IDENT_PART.test(source[fieldEnd]!)) fieldEnd++;
  if (source[fieldEnd] === '.') {
    return { error: "unexpected '.'", hint: 'fields are written as name or lead.name', index: fieldEnd, length: 1 };
  }
  const field = source.slice(fieldStart, fieldEnd);
  return {
    token: { kind: 'word', text: field, lower: field.toLowerCase(), prefixed: true, column: i + 1, length: fieldEnd - i },
    end: fieldEnd,
  };
}

function readString(source: string, open: number): Read<{ value: string; end: number }> {
  const quote = source[open]!;
  let value = '';
  for (let i = open + 1; i < source.length; i++) {
    const c = source[i]!;
    if (c === quote) return { value, end: i + 1 };
    if (c !== '\\') {
      value += c;
      continue;
    }
    const next = source[i + 1];
    if (next === undefined) break;
    const escaped = ESCAPES[next];
    if (escaped === undefined) {
      return { error: `unknown escape '\\${next}'`, hint: 'write \\\\ for a backslash', index: i, length: 2 };
    }
    value += escaped;
    i++;
  }
  return { error: 'unterminated string', hint: `close it with ${quote}`, index: open, length: 1 };
}

function hintForCharacter(char: string): string | undefined {
  if ('“”„'.includes(char)) return 'use straight quotes: " or \'';
  if ('‘’'.includes(char)) return 'use straight quotes: \' or "';
  if (char === '!') return 'use not to negate, or != to compare';
  if (char === '-') return 'write a negative number without a space: -5';
  const ascii = char.normalize('NFKC');
  if (ascii !== char && /^[\x21-\x7e]+$/.test(ascii)) return `'${char}' is full-width; type '${ascii}'`;
  return undefined;
}
