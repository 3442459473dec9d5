import { describe, expect, it } from 'vitest';
import { splitFamilyFirst, splitPersonName } from './names.js';

describe('splitPersonName', () => {
  it.each([
    ['山田 太郎', '山田', '太郎'],
    ['山田　太郎', '山田', '太郎'],
    ['山田　 太郎', '山田', '太郎'],
    ['佐々木 小次郎 様', '佐々木', '小次郎 様'],
    ['ヤマダ タロウ', 'ヤマダ', 'タロウ'],
    ['김 민수', '김', '민수'],
    ['John Smith', 'Smith', 'John'],
    ['John　Smith', 'Smith', 'John'],
    ['Mary Ann Smith', 'Smith', 'Mary Ann'],
    ['Smith, John', 'Smith', 'John'],
    ['Taro Yamada', 'Yamada', 'Taro'],
  ])('%s → family %s, given %s', (name, family, given) => {
    expect(splitPersonName(name)).toEqual({ family, given });
  });

  it.each([['山田太郎'], ['Madonna'], ['Smith,'], ['ヤマダタロウ']])('%s is not split', (name) => {
    expect(splitPersonName(name)).toBeUndefined();
  });
});

describe('splitFamilyFirst', () => {
  it('splits a kana reading at the first space, whatever its script', () => {
    expect(splitFamilyFirst('ヤマダ　タロウ')).toEqual({ family: 'ヤマダ', given: 'タロウ' });
    expect(splitFamilyFirst('やまだ たろう')).toEqual({ family: 'やまだ', given: 'たろう' });
    expect(splitFamilyFirst('YAMADA TARO')).toEqual({ family: 'YAMADA', given: 'TARO' });
    expect(splitFamilyFirst('ヤマダタロウ')).toBeUndefined();
  });
});
