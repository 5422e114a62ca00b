import { describe, expect, it } from 'vitest';
import { localPreference } from '../../src/core/robust/localPreference';

const radii = (perModality: number[][]) => ({
  joint: Float64Array.from(perModality[0]),
  perModality: perModality.map((r) => Float64Array.from(r)),
  correct: new Uint8Array(perModality[0].length).fill(1),
  evaluations: 0,
});

describe('localPreference: the local bound’s verdict on the samples it certified', () => {
  it('takes each modality’s median local and sound radius over the same samples, and names the smallest local one', () => {
    // Sound: image is cheaper (0.1 < 0.2); local grows image's radii more, so it calls audio cheaper.
    const bound = {
      radii: radii([
        [0.9, 0.5, 0.7],
        [0.3, 0.6, 0],
      ]),
      sound: radii([
        [0.1, 0.05, 0.2],
        [0.2, 0.3, 0],
      ]),
      curves: { all: [], perModality: [], medianRadius: 0.5, samples: 3, of: 40 },
    };
    expect(localPreference(bound, ['image', 'audio'])).toEqual({
      samples: 3,
      of: 40,
      medianRadius: [0.7, 0.3],
      soundMedianRadius: [0.1, 0.2],
      cheapest: 'audio',
    });
  });

  it('counts a misclassified sample (radius 0) in the median, as the sound medians do', () => {
    const bound = {
      radii: radii([[0, 0, 0.4]]),
      sound: radii([[0, 0, 0.1]]),
      curves: { all: [], perModality: [], medianRadius: 0, samples: 3, of: 3 },
    };
    expect(localPreference(bound, ['only'])).toMatchObject({ medianRadius: [0], cheapest: 'only' });
  });
});
