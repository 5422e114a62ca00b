import { describe, expect, it } from 'vitest';
import { FRAMES, generateAudioVisual, IMAGE_SIZE, MEL_BINS } from '../../src/core/data/builtin/audioVisual';
import { summarise } from '../../src/core/data/summary';
import { decodeWav } from '../../src/core/data/formats/wav';
import { DEFAULT_CONFIG } from '../../src/core/config';

const AUDIO_VISUAL_DEFAULTS = DEFAULT_CONFIG.data.audioVisual;

describe('the synthetic audio-visual dataset', () => {
  const d = generateAudioVisual({ ...AUDIO_VISUAL_DEFAULTS, samples: 120 });

  it('pairs a 16×16 image with a 16×16 log-mel spectrogram, one class per shape and chord', () => {
    expect(d.modalities).toEqual([
      { name: 'image', shape: [IMAGE_SIZE, IMAGE_SIZE], kind: 'image' },
      { name: 'audio', shape: [MEL_BINS, FRAMES], kind: 'spectrogram' },
    ]);
    expect(d.classNames[0]).toMatch(/^circle \+ 300\/450 Hz$/);
    expect(d.features[1].length).toBe(120 * MEL_BINS * FRAMES);
    expect(d.features.every((f) => f.every(Number.isFinite))).toBe(true);
  });

  it('is seeded, and each clip can be regenerated alone as a playable WAV', () => {
    const again = generateAudioVisual({ ...AUDIO_VISUAL_DEFAULTS, samples: 120 });
    expect(again.features[1]).toEqual(d.features[1]);
    const wav = decodeWav('clip.wav', d.audio![1](5)!);
    expect(wav.sampleRate).toBe(8000);
    expect(wav.samples.length).toBe(2000);
    expect(d.audio![1](5)).toEqual(d.audio![1](5));
  });

  it('the chord of each class shows in the spectrogram: class-mean spectra differ', () => {
    const meanRow = (k: number) => {
      const acc = new Float64Array(MEL_BINS);
      let n = 0;
      d.labels.forEach((y, i) => {
        if (y !== k) return;
        n++;
        for (let b = 0; b < MEL_BINS; b++)
          for (let t = 0; t < FRAMES; t++) acc[b] += d.features[1][i * MEL_BINS * FRAMES + b * FRAMES + t];
      });
      return [...acc].map((v) => v / n);
    };
    // White noise lifts the wide high-frequency mel bins for every class alike: compare each
    // class with the mean over classes.
    const rows = [0, 1, 2, 3].map(meanRow);
    const grand = rows[0].map((_, b) => rows.reduce((s, r) => s + r[b], 0) / rows.length);
    const peak = (row: number[]) => {
      const excess = row.map((v, b) => v - grand[b]);
      return excess.indexOf(Math.max(...excess));
    };
    const peaks = rows.map(peak);
    expect(new Set(peaks).size).toBe(4);
    expect([...peaks].sort((a, b) => a - b)).toEqual(peaks); // higher chords, higher mel bins
  });

  it('more noise on a modality makes its classes harder to tell apart', () => {
    const spread = (noise: number) => {
      const g = generateAudioVisual({ ...AUDIO_VISUAL_DEFAULTS, samples: 60, imageNoise: noise });
      const px = IMAGE_SIZE * IMAGE_SIZE;
      // Distance of sample 0 (class 0) to sample 4 (also class 0), relative to sample 1 (class 1).
      const dist = (a: number, b: number) =>
        Math.hypot(...Array.from({ length: px }, (_, j) => g.features[0][a * px + j] - g.features[0][b * px + j]));
      return dist(0, 4) / dist(0, 1);
    };
    expect(spread(1.5)).toBeGreaterThan(spread(0.1));
  });

  it('summarises with previews that carry audio for the audio modality only', () => {
    const s = summarise(d);
    expect(s.previews.length).toBe(4);
    expect(s.previews[0].audio[0]).toBeNull();
    expect(s.previews[0].audio[1]).toBeInstanceOf(Uint8Array);
    expect(s.classCounts.train.reduce((a, b) => a + b, 0)).toBe(s.counts.train);
  });
});
