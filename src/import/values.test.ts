import { describe, expect, it } from 'vitest';
import { CellError } from './cell.js';
import { convertBoolean, convertDoNotContact, convertNumber, enumConverter } from './values.js';

function failure(result: unknown): { code: string; message: string } {
  expect(result).toBeInstanceOf(CellError);
  return result as CellError;
}

describe('convertNumber', () => {
  it.each([
    ['42', 42],
    ['1,234', 1234],
    ['1,234,567.89', 1234567.89],
    ['-3.5', -3.5],
    ['+7', 7],
    ['.5', 0.5],
    ['１２３４', 1234],
    ['１，２３４', 1234],
    ['－１２', -12],
    ['−12', -12],
    [' 0 ', 0],
  ])('%j → %d', (raw, value) => {
    expect(convertNumber(raw)).toBe(value);
  });

  it.each([['12abc'], ['1,23'], ['1.2.3'], ['¥1,000'], ['1 000'], ['1e3'], ['-'], ['Infinity']])('%j is IMPORT_BAD_NUMBER', (raw) => {
    const { code, message } = failure(convertNumber(raw));
    expect(code).toBe('IMPORT_BAD_NUMBER');
    expect(message).toBe(`"${raw}" is not a number (use digits, optionally with a sign, thousands separators and a decimal point: -1,234.5)`);
  });
});

describe('convertBoolean', () => {
  it.each([
    ['true', true], ['TRUE', true], ['Yes', true], ['y', true], ['1', true], ['１', true], ['はい', true], ['○', true], ['〇', true], ['✓', true],
    ['false', false], ['No', false], ['0', false], ['いいえ', false], ['×', false], ['なし', false], ['ＦＡＬＳＥ', false],
  ])('%j → %s', (raw, value) => {
    expect(convertBoolean(raw)).toBe(value);
  });

  it('refuses anything else with IMPORT_BAD_BOOLEAN', () => {
    expect(failure(convertBoolean('maybe'))).toEqual({
      code: 'IMPORT_BAD_BOOLEAN',
      message: '"maybe" is not true or false (use true/false, yes/no, 1/0, はい/いいえ or ○/×)',
    });
  });
});

describe('convertDoNotContact', () => {
  it.each([
    ['yes', true], ['TRUE', true], ['1', true], ['○', true], ['配信停止', true], ['DNC', true], ['unsubscribed 2026-01-05', true],
    ['no', false], ['false', false], ['0', false], ['いいえ', false], ['×', false], ['なし', false],
    ['', undefined], ['  ', undefined], ['-', undefined], ['－', undefined], ['ー', undefined],
  ])('%j → %s', (raw, value) => {
    expect(convertDoNotContact(raw)).toBe(value);
  });
});

describe('enumConverter', () => {
  const interest = enumConverter('interest', ['pricing', 'Security', 'API連携']);

  it.each([
    ['pricing', 'pricing'],
    ['PRICING', 'pricing'],
    ['ＰＲＩＣＩＮＧ', 'pricing'],
    [' security ', 'Security'],
    ['ＡＰＩ連携', 'API連携'],
    ['api連携', 'API連携'],
  ])('%j → the declared spelling %j', (raw, value) => {
    expect(interest(raw, 'Asia/Tokyo')).toBe(value);
  });

  it('names the allowed values in IMPORT_BAD_ENUM', () => {
    expect(failure(interest('enterprise', 'Asia/Tokyo'))).toEqual({
      code: 'IMPORT_BAD_ENUM',
      message: '"enterprise" is not a value of interest (use one of: pricing, Security, API連携)',
    });
  });
});
