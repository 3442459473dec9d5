import { describe, expect, it } from 'vitest';
import { CellError } from './cell.js';
import { convertLanguage, convertPhone, convertTimeZone } from './lead-values.js';

describe('convertPhone', () => {
  it.each([
    ['03-1234-5678', '03-1234-5678'],
    ['０３－１２３４－５６７８', '03-1234-5678'],
    ['０９０ー１２３４ー５６７８', '090-1234-5678'],
    ['090‐1234‐5678', '090-1234-5678'],
    ['＋８１（３）１２３４−５６７８', '+81(3)1234-5678'],
    [' +1 415 555 0100 ', '+1 415 555 0100'],
    ['03-1234-5678 内線123', '03-1234-5678 内線123'],
    ['', undefined],
  ])('%j → %j', (raw, phone) => {
    expect(convertPhone(raw)).toBe(phone);
  });
});

describe('convertTimeZone', () => {
  it.each([
    ['Asia/Tokyo', 'Asia/Tokyo'],
    ['asia/tokyo', 'Asia/Tokyo'],
    [' America/Los_Angeles ', 'America/Los_Angeles'],
    ['Ａｓｉａ／Ｔｏｋｙｏ', 'Asia/Tokyo'],
    ['UTC', 'UTC'],
    ['utc', 'UTC'],
    ['Etc/GMT-9', 'Etc/GMT-9'],
    ['america/los_angeles', 'America/Los_Angeles'],
  ])('%j → %s', (raw, zone) => {
    expect(convertTimeZone(raw)).toBe(zone);
  });

  it.each([
    ['Asia/Tokio', '"Asia/Tokio" is not an IANA time zone (did you mean Asia/Tokyo?)'],
    ['JST', '"JST" is not an IANA time zone (did you mean Asia/Tokyo?)'],
    ['BST', '"BST" is not an IANA time zone (did you mean Europe/London?)'],
    ['EST', '"EST" is not an IANA time zone (did you mean America/New_York?)'],
    ['Japan', '"Japan" is not an IANA time zone (did you mean Asia/Tokyo?)'],
    ['GMT', '"GMT" is not an IANA time zone (did you mean Europe/London?)'],
    ['GMT+9', '"GMT+9" is not an IANA time zone (use an IANA zone name such as Asia/Tokyo or America/New_York)'],
    ['日本時間', '"日本時間" is not an IANA time zone (use an IANA zone name such as Asia/Tokyo or America/New_York)'],
  ])('%j is IMPORT_BAD_TIMEZONE', (raw, message) => {
    expect(convertTimeZone(raw)).toEqual(new CellError('IMPORT_BAD_TIMEZONE', message));
    // Asked again, the cached answer is the same.
    expect(convertTimeZone(raw)).toEqual(new CellError('IMPORT_BAD_TIMEZONE', message));
  });
});

describe('convertLanguage', () => {
  it.each([
    ['en', 'en'], ['EN', 'en'], ['English', 'en'], ['英語', 'en'],
    ['ja', 'ja'], ['ＪＡ', 'ja'], ['Japanese', 'ja'], ['日本語', 'ja'], ['jp', 'ja'],
  ])('%j → %s', (raw, language) => {
    expect(convertLanguage(raw, 'Asia/Tokyo')).toBe(language);
  });

  it('refuses other languages with IMPORT_BAD_ENUM', () => {
    expect(convertLanguage('fr', 'Asia/Tokyo')).toEqual(new CellError('IMPORT_BAD_ENUM', '"fr" is not a value of language (use one of: en, ja)'));
  });
});
