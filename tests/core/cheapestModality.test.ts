import { describe, expect, it } from 'vitest';
import { cheapestByKind, cheapestModality } from '../../src/core/robust/cheapestModality';

const names = ['audio', 'video', 'text'];

describe('cheapestModality: the smallest median single-modality radius', () => {
  it('names the modality with the smallest median, the first on a tie', () => {
    expect(cheapestModality(names, [0.3, 0.1, 0.2])).toBe('video');
    expect(cheapestModality(names, [0.2, 0.5, 0.2])).toBe('audio');
    expect(cheapestModality(names, [0, 0.5, 0.2])).toBe('audio');
  });

  it('skips medians that are not numbers, and names none when no median is one', () => {
    expect(cheapestModality(names, [NaN, 0.4, 0.3])).toBe('text');
    expect(cheapestModality(names, [NaN, NaN, NaN])).toBeNull();
    expect(cheapestModality([], [])).toBeNull();
  });
});

describe('cheapestByKind: each bound kind names its own', () => {
  it('lets sound and local disagree, and leaves out a kind not given', () => {
    // Local radii are never below the sound ones, yet they can grow by different factors per modality.
    const sound = [0.1, 0.12, 0.5];
    const local = [0.3, 0.2, 0.6];
    expect(cheapestByKind(names, { sound, local })).toEqual({ sound: 'audio', local: 'video' });
    expect(cheapestByKind(names, { sound })).toEqual({ sound: 'audio' });
    expect(cheapestByKind(names, { sound, estimated: [NaN, NaN, NaN] })).toEqual({ sound: 'audio', estimated: null });
  });
});
