import { describe, expect, it } from 'vitest';
import { CellError } from './cell.js';
import { convertEmail, EMAIL } from './email-address.js';

describe('convertEmail', () => {
  it.each([
    ['taro@example.com', 'taro@example.com'],
    ['  Taro.Yamada@Example.CO.JP ', 'taro.yamada@example.co.jp'],
    ['ＴＡＲＯ＠ＥＸＡＭＰＬＥ．ＣＯＭ', 'taro@example.com'],
    ['\u3000taro@example.com\u3000', 'taro@example.com'],
    // Real Japanese carrier addresses that RFC-strict validators (and ajv's format) refuse.
    ['taro..yamada@docomo.ne.jp', 'taro..yamada@docomo.ne.jp'],
    ['taro.@ezweb.ne.jp', 'taro.@ezweb.ne.jp'],
    ['.taro@softbank.ne.jp', '.taro@softbank.ne.jp'],
    ['first+tag@sub.example-mail.com', 'first+tag@sub.example-mail.com'],
    ['info@例え.jp', 'info@例え.jp'],
  ])('%j → %j', (raw, email) => {
    expect(convertEmail(raw)).toBe(email);
  });

  it.each([[''], ['   '], ['\u3000']])('%j is blank', (raw) => {
    expect(convertEmail(raw)).toBeUndefined();
  });

  it.each([
    ['taro.example.com', 'it has no @'],
    ['taro@@example.com', 'more than one @'],
    ['a@example.com; b@example.com', 'more than one @'],
    ['taro yamada@example.com', 'contains a space'],
    ['@example.com', 'nothing comes before the @'],
    ['taro@', 'nothing comes after the @'],
    ['taro@example', 'the domain "example" has no dot'],
    ['taro@.example.com', 'is not a host name'],
    ['taro@example..com', 'is not a host name'],
    ['taro@example.com.', 'is not a host name'],
    ['Taro <taro@example.com>', 'contains a space'],
    ['<taro@example.com>', 'the part before the @ contains'],
  ])('%j is invalid: %s', (raw, reason) => {
    const result = convertEmail(raw);
    expect(result).toBeInstanceOf(CellError);
    expect((result as CellError).code).toBe('IMPORT_EMAIL_INVALID');
    expect((result as CellError).message).toContain(reason);
    expect((result as CellError).message).toContain('expected name@example.com');
  });
});

describe('the ASCII fast path', () => {
  it('accepts and refuses exactly what the rule (EMAIL) does', () => {
    const locals = ['taro', 'Taro.Yamada', 'taro..x', '.t', 't.', 'a+b', 'a_b', "o'neil", 'a b', 'a,b', 'a"b', 'a\\b', 'a\u0001b', 'ä', ''];
    const domains = ['example.com', 'EXAMPLE.CO.JP', 'ex-ample.com', '-ex.com', 'ex-.com', 'ex..com', '.ex.com', 'ex.com.', 'example', 'ex_ample.com', '例え.jp', 'x.y', '1.2', ''];
    for (const local of locals) {
      for (const domain of domains) {
        for (const text of [`${local}@${domain}`, `${local}@${domain}@x.com`, `${local}${domain}`]) {
          const expected = EMAIL.test(text.toLowerCase()) ? text.toLowerCase() : 'invalid';
          const result = convertEmail(text);
          expect(result === undefined ? 'blank' : typeof result === 'string' ? result : 'invalid', text).toBe(text.trim() === '' ? 'blank' : expected);
        }
      }
    }
  });
});
