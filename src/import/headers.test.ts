import { describe, expect, it } from 'vitest';
import { leadFields } from '../workspace/lead-fields.js';
import type { WorkspaceConfig } from '../workspace/types.js';
import { BUILTIN_HEADER_ALIASES } from './header-aliases.js';
import { mapHeaders } from './headers.js';
import { headerKey } from './normalize-text.js';

const fields = leadFields({
  lead_fields: {
    meeting_at: { type: 'datetime', label: '商談日時' },
    interest: { type: 'enum', values: ['pricing', 'security'], aliases: ['興味', 'Interested In'] },
    mobile: { type: 'string' },
    tier: { type: 'string', label: 'Title' },
  },
} as unknown as WorkspaceConfig);

function fieldsOf(headers: string[], map: Record<string, string> = {}): Record<string, string | undefined> {
  const plan = mapHeaders(headers, { map, fields });
  return Object.fromEntries(headers.map((header, index) => [header, plan.columns.find((column) => column.index === index)?.field]));
}

describe('mapHeaders: aliases', () => {
  it.each([
    // English, as CRMs and spreadsheets write it
    ['Email', 'email'], ['E-mail', 'email'], ['e_mail', 'email'], ['EMAIL ADDRESS', 'email'], ['Mail', 'email'],
    ['First Name', 'first_name'], ['first_name', 'first_name'], ['Given Name', 'first_name'],
    ['Last Name', 'last_name'], ['Surname', 'last_name'], ['Family Name', 'last_name'],
    ['Name', 'full_name'], ['Full Name', 'full_name'],
    ['Company', 'company'], ['Company Name', 'company'], ['Organization', 'company'], ['Account', 'company'],
    ['Department', 'department'], ['Job Title', 'title'], ['Position', 'title'],
    ['Phone', 'phone'], ['Phone Number', 'phone'], ['Tel', 'phone'], ['Telephone', 'phone'],
    ['Time Zone', 'timezone'], ['Timezone', 'timezone'], ['Language', 'language'], ['Owner', 'owner'],
    ['Status', 'status'], ['Lead Status', 'status'], ['Stage', 'stage'], ['Source', 'source'], ['Lead Source', 'source'],
    ['Campaign', 'campaign'], ['LinkedIn', 'linkedin_url'], ['LinkedIn URL', 'linkedin_url'],
    ['Website', 'website'], ['URL', 'website'], ['Country', 'country'],
    ['Do Not Contact', 'do_not_contact'], ['DNC', 'do_not_contact'],
    // Japanese, as event lists and web forms write it
    ['メール', 'email'], ['メールアドレス', 'email'], ['Eメール', 'email'], ['Ｅメール', 'email'], ['E-mailアドレス', 'email'],
    ['名', 'first_name'], ['名前(名)', 'first_name'], ['姓', 'last_name'], ['名字', 'last_name'], ['苗字', 'last_name'],
    ['氏名', 'full_name'], ['名前', 'full_name'], ['お名前', 'full_name'], ['担当者名', 'full_name'],
    ['メイ', 'first_name_kana'], ['名(カナ)', 'first_name_kana'], ['名（フリガナ）', 'first_name_kana'],
    ['セイ', 'last_name_kana'], ['姓(カナ)', 'last_name_kana'], ['ｾｲ', 'last_name_kana'],
    ['フリガナ', 'full_name_kana'], ['ふりがな', 'full_name_kana'], ['氏名(カナ)', 'full_name_kana'], ['カナ', 'full_name_kana'],
    ['会社名', 'company'], ['企業名', 'company'], ['法人名', 'company'], ['社名', 'company'], ['会社', 'company'], ['貴社名', 'company'],
    ['部署', 'department'], ['部署名', 'department'], ['所属', 'department'], ['役職', 'title'], ['役職名', 'title'],
    ['電話番号', 'phone'], ['電話', 'phone'], ['ＴＥＬ', 'phone'], ['携帯電話', 'phone'], ['携帯', 'phone'],
    ['タイムゾーン', 'timezone'], ['担当', 'owner'], ['担当者', 'owner'], ['営業担当', 'owner'], ['ステータス', 'status'],
    ['流入元', 'source'], ['リードソース', 'source'], ['キャンペーン', 'campaign'], ['Webサイト', 'website'], ['ホームページ', 'website'],
    ['国', 'country'], ['配信停止', 'do_not_contact'], ['連絡不可', 'do_not_contact'],
    // custom fields: name, aliases, label
    ['meeting_at', 'meeting_at'], ['Meeting At', 'meeting_at'], ['商談日時', 'meeting_at'], ['興味', 'interest'], ['interested-in', 'interest'],
  ])('%j feeds %s', (header, field) => {
    expect(fieldsOf([header])[header]).toBe(field);
  });

  it('never gives one alias two fields', () => {
    const owners = new Map<string, string>();
    for (const [field, aliases] of Object.entries(BUILTIN_HEADER_ALIASES)) {
      for (const alias of aliases) {
        const key = headerKey(alias);
        expect(owners.get(key) ?? field, `${alias} (${key})`).toBe(field);
        owners.set(key, field);
      }
    }
  });

  it('lets a custom field name beat a built-in alias, but a custom label only fill gaps', () => {
    // "Mobile" is a phone alias, but this workspace declares a `mobile` field of its own;
    // "Title" is the label of `tier`, but title's alias comes first.
    expect(fieldsOf(['Email', 'Phone', 'Mobile', 'Title'])).toEqual({ Email: 'email', Phone: 'phone', Mobile: 'mobile', Title: 'title' });
  });

  it('reports unmapped and empty header cells, which are allowed', () => {
    const plan = mapHeaders(['Email', '', 'メモ', 'Notes'], { map: {}, fields });
    expect(plan.problems).toEqual([]);
    expect(plan.unmapped).toEqual([{ index: 1, header: '' }, { index: 2, header: 'メモ' }, { index: 3, header: 'Notes' }]);
  });

  it('drops a byte-order mark from the header it reports', () => {
    expect(mapHeaders(['\uFEFFメールアドレス'], { map: {}, fields }).columns[0]).toMatchObject({ header: 'メールアドレス', field: 'email', by: 'alias' });
  });
});

describe('mapHeaders: --map', () => {
  it('maps a column the aliases do not know, matching the column name loosely', () => {
    const plan = mapHeaders(['連絡先', '御芳名'], { map: { '連絡先': 'email', ' 御芳名 ': 'full_name' }, fields });
    expect(plan.problems).toEqual([]);
    expect(plan.columns.map(({ header, field, by }) => ({ header, field, by }))).toEqual([
      { header: '連絡先', field: 'email', by: 'map' },
      { header: '御芳名', field: 'full_name', by: 'map' },
    ]);
  });

  it('wins over an alias: the alias-matched column for the same field is left unmapped', () => {
    const plan = mapHeaders(['Email', 'Work Email', 'Tel'], { map: { 'work email': 'email' }, fields });
    expect(plan.problems).toEqual([]);
    expect(plan.columns.map((column) => [column.header, column.field])).toEqual([['Work Email', 'email'], ['Tel', 'phone']]);
    expect(plan.unmapped).toEqual([{ index: 0, header: 'Email' }]);
  });

  it('re-targets an aliased column, and accepts a field written like a header', () => {
    expect(fieldsOf(['Email', 'Company', '部署'], { Company: 'tier', '部署': 'Last Name' })).toEqual({ Email: 'email', Company: 'tier', 部署: 'last_name' });
  });

  it('skips a column mapped to "-" or to nothing', () => {
    const plan = mapHeaders(['Email', 'Phone', 'Mobile'], { map: { Mobile: '-', Phone: '' }, fields });
    expect(plan.columns.map((column) => column.field)).toEqual(['email']);
    expect(plan.unmapped.map((column) => column.header)).toEqual(['Phone', 'Mobile']);
  });
});

describe('mapHeaders: problems', () => {
  it('IMPORT_MAP_UNKNOWN_FIELD, with did-you-mean', () => {
    const plan = mapHeaders(['Email', 'Rank'], { map: { Rank: 'teir' }, fields });
    expect(plan.problems).toEqual([
      { code: 'IMPORT_MAP_UNKNOWN_FIELD', message: '--map "Rank=teir": there is no lead field "teir"', hint: 'did you mean "tier"?', columns: [] },
    ]);
    expect(plan.unmapped).toEqual([{ index: 1, header: 'Rank' }]);
  });

  it('IMPORT_MAP_UNKNOWN_FIELD without a close name points at cadence.yaml', () => {
    const [problem] = mapHeaders(['Email', 'Rank'], { map: { Rank: 'customer_rank' }, fields }).problems;
    expect(problem?.hint).toBe('declare custom fields under lead_fields: in cadence.yaml, or skip the column with --map "COLUMN=-"');
  });

  it('IMPORT_MAP_UNKNOWN_COLUMN, with did-you-mean or the list of columns', () => {
    expect(mapHeaders(['Email', 'Company'], { map: { Compnay: 'company' }, fields }).problems).toEqual([
      { code: 'IMPORT_MAP_UNKNOWN_COLUMN', message: '--map "Compnay=company" names a column the file does not have', hint: 'did you mean "Company"?', columns: [] },
    ]);
    expect(mapHeaders(['Email', 'Company', ''], { map: { Region: 'country' }, fields }).problems[0]?.hint).toBe('the columns are: "Email", "Company"');
  });

  it('IMPORT_DUPLICATE_COLUMN names both columns; the first stays in the plan', () => {
    const plan = mapHeaders(['Email', 'Phone', 'Name', 'TEL'], { map: {}, fields });
    expect(plan.problems).toEqual([
      {
        code: 'IMPORT_DUPLICATE_COLUMN',
        message: '"Phone" (column 2) and "TEL" (column 4) both feed phone',
        hint: 'keep one: --map "TEL=-" skips a column, --map "TEL=FIELD" sends it to another field',
        columns: [1, 3],
      },
    ]);
    expect(plan.columns.map((column) => column.header)).toEqual(['Email', 'Phone', 'Name']);
  });

  it('IMPORT_DUPLICATE_COLUMN for two columns of the same name does not offer a --map that would skip both', () => {
    const [problem] = mapHeaders(['Email', 'Company', 'Email'], { map: {}, fields }).problems;
    expect(problem).toMatchObject({ code: 'IMPORT_DUPLICATE_COLUMN', message: '"Email" (column 1) and "Email" (column 3) both feed email', columns: [0, 2] });
    expect(problem!.hint).toBe('--map cannot tell columns 1 and 3 apart ("Email=-" would skip both): rename or delete one in the file, then import again');
    // --map matches headers as aliases do: "E-mail" and "Email" are one name to it.
    expect(mapHeaders(['Email', 'E-mail'], { map: {}, fields }).problems[0]!.hint).toContain('rename or delete one in the file');
    expect(mapHeaders(['Email', 'Mail'], { map: {}, fields }).problems[0]!.hint).toBe('keep one: --map "Mail=-" skips a column, --map "Mail=FIELD" sends it to another field');
  });

  it('IMPORT_DUPLICATE_COLUMN also when two --map entries name one field', () => {
    const plan = mapHeaders(['A', 'B'], { map: { A: 'email', B: 'email' }, fields });
    expect(plan.problems.map((problem) => problem.message)).toEqual(['"A" (column 1) and "B" (column 2) both feed email']);
    expect(mapHeaders(['Email', 'Mail', 'メール'], { map: {}, fields }).problems[0]?.message).toBe('"Email" (column 1), "Mail" (column 2) and "メール" (column 3) all feed email');
  });

  it('IMPORT_NO_EMAIL_COLUMN, with the --map hint', () => {
    expect(mapHeaders(['氏名', '会社名', '連絡先'], { map: {}, fields }).problems).toEqual([
      {
        code: 'IMPORT_NO_EMAIL_COLUMN',
        message: 'no column holds the email address (looked for Email, E-mail, Mail, メールアドレス, …)',
        hint: 'name the column that does: --map "YourColumn=email"',
        columns: [],
      },
    ]);
  });

  it('collects every problem in one pass', () => {
    const codes = mapHeaders(['Name', 'Phone', 'Tel'], { map: { Nmae: 'full_name', Name: 'nmae' }, fields }).problems.map((problem) => problem.code);
    expect(codes.sort()).toEqual(['IMPORT_DUPLICATE_COLUMN', 'IMPORT_MAP_UNKNOWN_COLUMN', 'IMPORT_MAP_UNKNOWN_FIELD', 'IMPORT_NO_EMAIL_COLUMN']);
  });
});
