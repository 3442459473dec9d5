import { describe, expect, it } from 'vitest';
import { didYouMean, editDistance } from './did-you-mean.js';

describe('didYouMean', () => {
  it('finds a typo, a transposition and a missing letter', () => {
    expect(didYouMean('inbound-folowup', ['inbound-followup', 'inbound-welcome'])).toBe('inbound-followup');
    expect(didYouMean('tempalte', ['template', 'thread', 'type'])).toBe('template');
    expect(didYouMean('Asia/Tokio', ['Asia/Tokyo', 'Asia/Seoul'])).toBe('Asia/Tokyo');
  });

  it('suggests nothing for a name that is not close to any', () => {
    expect(didYouMean('renewal', ['inbound-8day', 'outbound-18day'])).toBeUndefined();
    expect(didYouMean('x', [])).toBeUndefined();
  });

  it('counts a transposition as one edit', () => {
    expect(editDistance('ab', 'ba')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });
});
