import { describe, expect, it } from 'vitest';
import { leadFields } from '../workspace/lead-fields.js';
import type { WorkspaceConfig } from '../workspace/types.js';
import { createRowConverter, type RowResult } from './convert.js';
import { mapHeaders } from './headers.js';

const fields = leadFields({
  lead_fields: {
    meeting_at: { type: 'datetime', label: '商談日時' },
    interest: { type: 'enum', values: ['pricing', 'security', 'integration'] },
    seats: { type: 'number' },
    renewal_date: { type: 'date' },
    trial: { type: 'boolean' },
    memo: { type: 'string', label: 'メモ' },
  },
} as unknown as WorkspaceConfig);

/** A converter for these headers in a Tokyo workspace (or `timezone`), and a way to feed it one row as a record. */
function converter(headers: string[], options: { timezone?: string; language?: 'en' | 'ja'; map?: Record<string, string> } = {}) {
  const plan = mapHeaders(headers, { map: options.map ?? {}, fields });
  expect(plan.problems).toEqual([]);
  const convert = createRowConverter(plan.columns, { timezone: options.timezone ?? 'Asia/Tokyo', language: options.language, fields });
  return (row: Record<string, string>): RowResult => convert(headers.map((header) => row[header] ?? ''));
}

function lead(result: RowResult) {
  if (!result.ok) throw new Error(`expected a lead, got ${JSON.stringify(result.errors)}`);
  return result.lead;
}

function errors(result: RowResult) {
  if (result.ok) throw new Error(`expected errors, got ${JSON.stringify(result.lead)}`);
  return result.errors;
}

describe('createRowConverter: a Japanese event list', () => {
  const convert = converter(['メールアドレス', '氏名', 'フリガナ', '会社名', '部署', '電話番号', '商談日時', '配信停止'], { language: 'ja' });

  it('normalises codes with NFKC and keeps free text as written, kana widened', () => {
    const result = convert({
      メールアドレス: 'ＴＡＲＯ＠ＥＸＡＭＰＬＥ．ＣＯＭ',
      氏名: '山田　太郎',
      フリガナ: 'ﾔﾏﾀﾞ ﾀﾛｳ',
      会社名: '㈱アクメ①',
      部署: 'ｴﾝﾀｰﾌﾟﾗｲｽﾞ営業部',
      電話番号: '０３ー１２３４ー５６７８',
      商談日時: '２０２６／１２／０１ １０：００',
    });
    expect(result).toEqual({
      ok: true,
      lead: {
        email: 'taro@example.com',
        fields: {
          full_name: '山田　太郎',
          last_name: '山田',
          first_name: '太郎',
          last_name_kana: 'ヤマダ',
          first_name_kana: 'タロウ',
          company: '㈱アクメ①',
          department: 'エンタープライズ営業部',
          phone: '03-1234-5678',
          meeting_at: '2026-12-01T10:00:00.000+09:00',
        },
        doNotContact: false,
        defaults: { timezone: 'Asia/Tokyo', language: 'ja' },
      },
      warnings: [],
    });
  });

  it('keeps only non-empty cells: a blank never clears a stored value', () => {
    expect(lead(convert({ メールアドレス: 'hanako@example.jp', 会社名: '  ', 部署: '\u3000' })).fields).toEqual({});
  });

  it('warns, and keeps the name whole, when it has no space', () => {
    const result = convert({ メールアドレス: 'a@example.jp', 氏名: '山田太郎', フリガナ: 'ヤマダタロウ' });
    expect(result.ok && result.lead.fields).toEqual({ full_name: '山田太郎' });
    expect(result.ok && result.warnings).toEqual([
      { column: '氏名', value: '山田太郎', code: 'IMPORT_NAME_NOT_SPLIT', message: '"山田太郎" has no space between family and given name, so it was kept whole in full_name (write it as 山田 太郎, or give separate 姓 and 名 columns)' },
      { column: 'フリガナ', value: 'ヤマダタロウ', code: 'IMPORT_NAME_NOT_SPLIT', message: '"ヤマダタロウ" has no space between family and given name, so it was not imported (write it as ヤマダ タロウ, or give separate セイ and メイ columns)' },
    ]);
  });

  it.each([
    ['配信停止', true], ['○', true], ['1', true], ['yes', true], ['', false], ['×', false], ['-', false],
  ])('do-not-contact %j → %s', (cell, doNotContact) => {
    expect(lead(convert({ メールアドレス: 'a@example.jp', 配信停止: cell })).doNotContact).toBe(doNotContact);
  });
});

describe('createRowConverter: names', () => {
  it.each([
    [{ Name: 'John Smith' }, { full_name: 'John Smith', first_name: 'John', last_name: 'Smith' }],
    [{ Name: 'Smith, John' }, { full_name: 'Smith, John', first_name: 'John', last_name: 'Smith' }],
    [{ Name: '山田 太郎', 姓: '山﨑' }, { full_name: '山田 太郎', last_name: '山﨑', first_name: '太郎' }],
    [{ Name: '山田 太郎', 姓: '山田', 名: '太朗' }, { full_name: '山田 太郎', last_name: '山田', first_name: '太朗' }],
    [{ 姓: '山田', 名: '太郎' }, { last_name: '山田', first_name: '太郎' }],
    [{ Name: 'ﾔﾏﾀﾞ ﾀﾛｳ' }, { full_name: 'ヤマダ タロウ', last_name: 'ヤマダ', first_name: 'タロウ' }],
  ])('%o → %o', (row, expected) => {
    const convert = converter(['Email', 'Name', '姓', '名']);
    expect(lead(convert({ Email: 'a@example.com', ...row })).fields).toEqual(expected);
  });

  it('does not warn about a one-word name when the row has a first or last name of its own (an export of leads)', () => {
    const convert = converter(['email', 'full_name', 'first_name', 'last_name']);
    const rows: Record<string, string>[] = [{ first_name: 'Madonna' }, { last_name: '山田' }, { first_name: 'Taro', last_name: 'Yamada' }];
    for (const row of rows) {
      const result = convert({ email: 'a@example.com', full_name: 'Madonna', ...row });
      expect(result.ok && result.warnings, JSON.stringify(row)).toEqual([]);
      expect(lead(result).fields).toMatchObject({ full_name: 'Madonna', ...row });
    }
  });

  it('advises by the script of the name: a Latin name is not told to write 山田 太郎', () => {
    const convert = converter(['email', 'Name', 'フリガナ']);
    const warnings = (row: Record<string, string>): string[] => {
      const result = convert({ email: 'a@example.com', ...row });
      return result.ok ? result.warnings.map((warning) => warning.message) : [];
    };
    expect(warnings({ Name: 'Madonna' })).toEqual([
      '"Madonna" has no space between given and family name, so it was kept whole in full_name (write it as "Taro Yamada" or "Yamada, Taro", or give separate first_name and last_name columns)',
    ]);
    expect(warnings({ Name: '山田太郎' })).toEqual([expect.stringContaining('(write it as 山田 太郎, or give separate 姓 and 名 columns)')]);
    expect(warnings({ Name: 'Taro Yamada', フリガナ: 'ヤマダタロウ' })).toEqual([expect.stringContaining('(write it as ヤマダ タロウ, or give separate セイ and メイ columns)')]);
  });

  it('does not split (or warn about) a kana reading when セイ and メイ are given', () => {
    const result = converter(['Email', '氏名', 'セイ', 'メイ', 'フリガナ'])({ Email: 'a@example.com', 氏名: '山田太郎', フリガナ: 'ヤマダタロウ', セイ: 'ヤマダ', メイ: 'タロウ' });
    expect(result.ok && result.warnings).toEqual([{ column: '氏名', value: '山田太郎', code: 'IMPORT_NAME_NOT_SPLIT', message: expect.stringContaining('kept whole') }]);
    expect(lead(result).fields).toMatchObject({ last_name_kana: 'ヤマダ', first_name_kana: 'タロウ' });
  });
});

describe('createRowConverter: time zone and language defaults', () => {
  const convert = converter(['Email', 'Phone', 'Time Zone', 'Language'], { language: 'ja' });

  it.each([
    ['+81 3-1234-5678', 'Asia/Tokyo'],
    ['03-1234-5678', 'Asia/Tokyo'],
    ['090-1234-5678', 'Asia/Tokyo'],
    ['+44 20 7946 0958', 'Europe/London'],
    ['＋４９ ３０ １２３４５６', 'Europe/Berlin'],
    ['+1 415 555 0100', 'America/New_York'],
    ['', 'Asia/Tokyo'],
  ])('phone %j in a Tokyo workspace → %s', (phone, timezone) => {
    const { fields: values, defaults } = lead(convert({ Email: 'a@example.com', Phone: phone }));
    expect(defaults).toEqual({ timezone, language: 'ja' });
    expect(values.timezone).toBeUndefined();
  });

  it('uses a North American workspace zone for +1, and the workspace zone for domestic numbers', () => {
    const west = converter(['Email', 'Phone'], { timezone: 'America/Los_Angeles' });
    expect(lead(west({ Email: 'a@example.com', Phone: '+1 415 555 0100' })).defaults).toEqual({ timezone: 'America/Los_Angeles' });
    expect(lead(west({ Email: 'a@example.com', Phone: '03-1234-5678' })).defaults).toEqual({ timezone: 'America/Los_Angeles' });
    expect(lead(west({ Email: 'a@example.com', Phone: '+81 3-1234-5678' })).defaults).toEqual({ timezone: 'Asia/Tokyo' });
  });

  it('keeps an explicit time zone and language as fields', () => {
    const result = lead(convert({ Email: 'a@example.com', Phone: '+44 20 7946 0958', 'Time Zone': 'asia/seoul', Language: 'English' }));
    expect(result.fields).toEqual({ phone: '+44 20 7946 0958', timezone: 'Asia/Seoul', language: 'en' });
    expect(result.defaults).toEqual({ timezone: 'Asia/Tokyo', language: 'ja' });
  });

  it('refuses a workspace zone that is not IANA (a caller bug, not a row error)', () => {
    expect(() => createRowConverter([], { timezone: 'Tokyo', fields })).toThrow('"Tokyo" is not an IANA time zone');
  });
});

describe('createRowConverter: custom fields are typed', () => {
  const convert = converter(['Email', 'seats', 'renewal_date', 'meeting_at', 'interest', 'trial', 'メモ'], { timezone: 'America/New_York' });

  it('converts each type', () => {
    expect(lead(convert({ Email: 'a@example.com', seats: '１，２００', renewal_date: '2027年3月31日', meeting_at: '2026/7/1 9:30', interest: 'Security', trial: 'はい', メモ: ' ① 資料送付済 ' })).fields).toEqual({
      seats: 1200,
      renewal_date: '2027-03-31',
      meeting_at: '2026-07-01T09:30:00.000-04:00',
      interest: 'security',
      trial: true,
      memo: '① 資料送付済',
    });
  });
});

describe('createRowConverter: errors', () => {
  const convert = converter(['Email', 'Time Zone', 'Language', 'seats', 'renewal_date', 'meeting_at', 'interest', 'trial']);

  it.each([
    [{ Email: '' }, 'Email', 'IMPORT_EMAIL_MISSING', 'the row has no email address in "Email" (every lead needs one)'],
    [{ Email: '   ' }, 'Email', 'IMPORT_EMAIL_MISSING', 'the row has no email address in "Email" (every lead needs one)'],
    [{ Email: 'taro@example' }, 'Email', 'IMPORT_EMAIL_INVALID', '"taro@example" is not an email address: the domain "example" has no dot (expected name@example.com)'],
    [{ 'Time Zone': 'Asia/Tokio' }, 'Time Zone', 'IMPORT_BAD_TIMEZONE', '"Asia/Tokio" is not an IANA time zone (did you mean Asia/Tokyo?)'],
    [{ Language: 'fr' }, 'Language', 'IMPORT_BAD_ENUM', '"fr" is not a value of language (use one of: en, ja)'],
    [{ seats: '12abc' }, 'seats', 'IMPORT_BAD_NUMBER', '"12abc" is not a number (use digits, optionally with a sign, thousands separators and a decimal point: -1,234.5)'],
    [{ renewal_date: '2026-02-30' }, 'renewal_date', 'IMPORT_BAD_DATE', '"2026-02-30" is not a real date (use YYYY-MM-DD or YYYY/MM/DD)'],
    [{ meeting_at: '2026-12-01' }, 'meeting_at', 'IMPORT_BAD_DATETIME', expect.stringContaining('"2026-12-01" has no time of day (use YYYY-MM-DD HH:MM')],
    [{ interest: 'enterprise' }, 'interest', 'IMPORT_BAD_ENUM', '"enterprise" is not a value of interest (use one of: pricing, security, integration)'],
    [{ trial: 'maybe' }, 'trial', 'IMPORT_BAD_BOOLEAN', expect.stringContaining('"maybe" is not true or false')],
  ])('%o → %s %s', (row, column, code, message) => {
    const found = errors(convert({ Email: 'a@example.com', ...row }));
    expect(found).toEqual([{ column, value: (row as Record<string, string>)[column], code, message }]);
  });

  it('collects every error of a row, in column order', () => {
    const found = errors(convert({ Email: 'nope', 'Time Zone': 'Mars/Olympus', seats: 'many', renewal_date: '2026-13-01', interest: '?' }));
    expect(found.map((error) => [error.column, error.code])).toEqual([
      ['Email', 'IMPORT_EMAIL_INVALID'],
      ['Time Zone', 'IMPORT_BAD_TIMEZONE'],
      ['seats', 'IMPORT_BAD_NUMBER'],
      ['renewal_date', 'IMPORT_BAD_DATE'],
      ['interest', 'IMPORT_BAD_ENUM'],
    ]);
  });

  it('reports a missing email alongside the other errors', () => {
    expect(errors(convert({ Email: '', seats: 'x' })).map((error) => error.code)).toEqual(['IMPORT_BAD_NUMBER', 'IMPORT_EMAIL_MISSING']);
  });

  it('treats a short row as blank cells', () => {
    const plan = mapHeaders(['Email', 'Company'], { map: {}, fields });
    const convert = createRowConverter(plan.columns, { timezone: 'Asia/Tokyo', fields });
    expect(lead(convert(['a@example.com'])).fields).toEqual({});
    expect(errors(convert([]))[0]?.code).toBe('IMPORT_EMAIL_MISSING');
  });
});
