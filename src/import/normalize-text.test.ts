import { describe, expect, it } from 'vitest';
import { codeText, freeText, headerKey, nfkc, widenKana } from './normalize-text.js';

describe('widenKana', () => {
  it.each([
    ['ﾔﾏﾀﾞ ﾀﾛｳ', 'ヤマダ タロウ'],
    ['ｶﾞｷﾞｸﾞ ﾊﾟﾋﾟ', 'ガギグ パピ'],
    ['ｱｸﾒ｢ｼｮｳｼﾞ｣､', 'アクメ「ショウジ」、'],
    ['㈱アクメ① ＡＢＣ', '㈱アクメ① ＡＢＣ'],
    ['John Smith', 'John Smith'],
  ])('%s → %s', (input, expected) => {
    expect(widenKana(input)).toBe(expected);
  });
});

describe('freeText and codeText', () => {
  it.each([
    ['  山田　太郎　', '山田　太郎', '山田 太郎'],
    ['㈱アクメ①', '㈱アクメ①', '(株)アクメ1'],
    ['ＡＢＣ商事', 'ＡＢＣ商事', 'ABC商事'],
    ['ｱｸﾒ', 'アクメ', 'アクメ'],
    ['\u3000 ', undefined, undefined],
  ])('%j: free text %j, code %j', (input, free, code) => {
    expect(freeText(input)).toBe(free);
    expect(codeText(input)).toBe(code);
  });

  it('leaves printable ASCII to the fast path unchanged', () => {
    expect(nfkc('taro@example.com')).toBe('taro@example.com');
    expect(nfkc('ＴＡＲＯ＠ＥＸＡＭＰＬＥ．ＣＯＭ')).toBe('TARO@EXAMPLE.COM');
  });
});

describe('headerKey', () => {
  it.each([
    ['E-mail', 'email'],
    ['e_mail', 'email'],
    ['E.Mail', 'email'],
    ['  Email Address ', 'emailaddress'],
    ['Ｅメール', 'eメール'],
    ['姓（カナ）', '姓カナ'],
    ['【氏名】', '氏名'],
    ['ﾌﾘｶﾞﾅ', 'フリガナ'],
    ['\uFEFFEmail', 'email'],
    ['Email *', 'email'],
    ['Phone #', 'phone'],
    ['', ''],
  ])('%j → %j', (header, key) => {
    expect(headerKey(header)).toBe(key);
  });
});

describe('the fast paths agree with NFKC', () => {
  it('widenKana equals NFKC on every half-width kana, alone and before each voiced mark', () => {
    for (let code = 0xff61; code <= 0xff9f; code++) {
      for (const text of [String.fromCharCode(code), `${String.fromCharCode(code)}ﾞ`, `${String.fromCharCode(code)}ﾟ`, `山${String.fromCharCode(code)}ﾞ田`]) {
        expect(widenKana(text), text).toBe(text.replace(/[\uff61-\uff9f]+/g, (run) => run.normalize('NFKC')));
      }
    }
  });

  it('nfkc equals String.normalize on ASCII and full-width ASCII', () => {
    let all = '\u3000';
    for (let code = 0x20; code <= 0x7e; code++) all += String.fromCharCode(code) + String.fromCharCode(code === 0x20 ? 0x3000 : code + 0xfee0);
    expect(nfkc(all)).toBe(all.normalize('NFKC'));
    expect(nfkc('ＴＡＲＯ＠ＥＸＡＭＰＬＥ．ＣＯＭ')).toBe('TARO@EXAMPLE.COM');
    expect(nfkc('０３ー１２３４')).toBe('03ー1234');
  });
});
