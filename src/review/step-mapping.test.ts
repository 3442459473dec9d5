import { describe, expect, it } from 'vitest';
import { mapPlace } from './step-mapping.js';

const v1 = ['welcome', 'call-1', 'followup', 'call-2', 'breakup'];

describe('mapPlace', () => {
  it('keeps a lead on its step, wherever the step moved', () => {
    expect(mapPlace(v1, v1, 2, 'followup')).toEqual({ kind: 'step', index: 2, reason: 'same' });
    expect(mapPlace(v1, ['welcome', 'followup', 'call-1', 'call-2', 'breakup'], 2, 'followup')).toEqual({ kind: 'step', index: 1, reason: 'same' });
  });

  it('moves a lead on a removed step to the next surviving step, even when earlier steps went too', () => {
    expect(mapPlace(v1, ['welcome', 'call-1', 'call-2', 'breakup'], 2, 'followup')).toEqual({ kind: 'step', index: 2, reason: 'removed' });
    // Positions alone would put this lead past the end: call-1 and followup are both gone.
    expect(mapPlace(v1, ['welcome', 'breakup'], 2, 'followup')).toEqual({ kind: 'step', index: 1, reason: 'removed' });
  });

  it('after the last step: steps added at the end are still done; otherwise the lead finishes', () => {
    expect(mapPlace(v1, [...v1, 'last-call'], 5, null)).toEqual({ kind: 'step', index: 5, reason: 'added after' });
    expect(mapPlace(v1, ['welcome', 'call-1'], 5, null)).toEqual({ kind: 'step', index: 2, reason: 'same' });
    expect(mapPlace(v1, ['welcome', 'call-1', 'breakup'], 4, 'breakup')).toEqual({ kind: 'step', index: 2, reason: 'same' });
    expect(mapPlace(v1, ['welcome', 'call-1'], 4, 'breakup')).toEqual({ kind: 'step', index: 2, reason: 'removed' });
  });

  it('a sequence rewritten with new ids: a lead that had started is lost, one that had not starts over', () => {
    expect(mapPlace(v1, ['a', 'b'], 2, 'followup')).toEqual({ kind: 'lost' });
    expect(mapPlace(v1, ['a', 'b'], 0, 'welcome')).toEqual({ kind: 'step', index: 0, reason: 'removed' });
  });

  it('without the old version, the lead keeps its position', () => {
    expect(mapPlace(undefined, ['welcome', 'breakup'], 3, 'call-2')).toEqual({ kind: 'step', index: 2, reason: 'removed' });
  });
});
