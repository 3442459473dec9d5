import { describe, expect, it } from 'vitest';
import { changedLines, wordDiff } from './word-diff.js';

describe('wordDiff', () => {
  it('keeps the words in common and marks the rest', () => {
    expect(wordDiff('Quick question about {{ lead.company }}', 'A short note about {{ lead.company }}')).toEqual([
      { op: 'del', text: 'Quick question' },
      { op: 'ins', text: 'A short note' },
      { op: 'same', text: ' about {{ lead.company }}' },
    ]);
  });

  it('diffs Japanese character by character (no spaces between words)', () => {
    expect(wordDiff('お問い合わせありがとうございます', 'ご相談ありがとうございます')).toEqual([
      { op: 'del', text: 'お問い合わせ' },
      { op: 'ins', text: 'ご相談' },
      { op: 'same', text: 'ありがとうございます' },
    ]);
    // ー is in no script: it must not start a "word" that swallows the Japanese after it.
    expect(wordDiff('営業フォロー体制について', '営業フォローの仕組みについてのご相談')).toEqual([
      { op: 'same', text: '営業フォロー' },
      { op: 'del', text: '体制' },
      { op: 'ins', text: 'の仕組み' },
      { op: 'same', text: 'について' },
      { op: 'ins', text: 'のご相談' },
    ]);
    expect(wordDiff('ＡＢＣ株式会社の件', 'ＡＢＣ株式会社のご提案')).toEqual([
      { op: 'same', text: 'ＡＢＣ株式会社の' },
      { op: 'del', text: '件' },
      { op: 'ins', text: 'ご提案' },
    ]);
  });

  it('is empty of changes for equal texts, and whole for a text that appears', () => {
    expect(wordDiff('same', 'same')).toEqual([{ op: 'same', text: 'same' }]);
    expect(wordDiff('', 'new text')).toEqual([{ op: 'ins', text: 'new text' }]);
  });
});

describe('changedLines', () => {
  it('gives only the lines of the new text a change touches, a removed line end as ¶', () => {
    const lines = changedLines(wordDiff('Hi Ann,\n\nLine two.\nThe end.\n', 'Hi Ann,\n\nLine 2.\nThe end.\n'));
    expect(lines).toEqual([[{ op: 'same', text: 'Line ' }, { op: 'del', text: 'two' }, { op: 'ins', text: '2' }, { op: 'same', text: '.' }]]);
    const joined = changedLines(wordDiff('one\ntwo', 'one two'));
    expect(joined).toEqual([[{ op: 'same', text: 'one' }, { op: 'del', text: '¶' }, { op: 'ins', text: ' ' }, { op: 'same', text: 'two' }]]);
    expect(changedLines(wordDiff('one two', 'one\ntwo'))).toEqual([[{ op: 'same', text: 'one' }, { op: 'del', text: ' ' }, { op: 'ins', text: '¶' }]]);
  });
});
