import { createRng } from '../../random';
import type { Dataset } from '../dataset';
import { encodeWav } from '../formats/wav';
import { logMelSpectrogram, synthTone } from '../logMel';
import { stratifiedSplit } from '../splits';

export interface AudioVisualParams {
  classes: number;
  samples: number;
  /** Pixel noise (std) and random shift/scale jitter of the shapes. */
  imageNoise: number;
  /** White noise (std, the tones peak at 0.5) and pitch jitter of the tones. */
  audioNoise: number;
  seed: number;
}

export const IMAGE_SIZE = 16;
export const SAMPLE_RATE = 8000;
export const CLIP_SECONDS = 0.25;
export const MEL_BINS = 16;
export const FRAMES = 16;

const SHAPES = ['circle', 'square', 'triangle', 'cross', 'ring', 'diamond'] as const;
/** Two-note chords, one per class, spread over the mel range. */
const CHORDS = [
  [300, 450],
  [500, 750],
  [800, 1200],
  [1300, 1950],
  [2000, 2600],
  [3000, 3500],
];
export const AUDIO_VISUAL_MAX_CLASSES = SHAPES.length;

/** Is pixel (x, y) of a unit-centred shape inside it? Coordinates in [−1, 1]. */
function inside(shape: (typeof SHAPES)[number], x: number, y: number): boolean {
  const r = Math.hypot(x, y);
  switch (shape) {
    case 'circle':
      return r < 0.75;
    case 'square':
      return Math.abs(x) < 0.65 && Math.abs(y) < 0.65;
    case 'triangle':
      return y > -0.6 && y < 0.7 && Math.abs(x) < (0.7 - y) * 0.6;
    case 'cross':
      return (Math.abs(x) < 0.22 && Math.abs(y) < 0.8) || (Math.abs(y) < 0.22 && Math.abs(x) < 0.8);
    case 'ring':
      return r > 0.45 && r < 0.8;
    case 'diamond':
      return Math.abs(x) + Math.abs(y) < 0.8;
  }
}

/**
 * Synthetic audio-visual pairs: a 16×16 image of the class's shape (random shift and scale, pixel
 * noise) and a 0.25 s two-note chord (random pitch jitter, white noise) stored as a 16×16 log-mel
 * spectrogram; the audio of any sample can be regenerated for playback. Defaults make the image
 * the stronger modality.
 */
export function generateAudioVisual(p: AudioVisualParams): Dataset {
  if (p.classes < 2 || p.classes > AUDIO_VISUAL_MAX_CLASSES)
    throw new Error(`The audio-visual set has 2 to ${AUDIO_VISUAL_MAX_CLASSES} classes, not ${p.classes}.`);
  const n = p.samples;
  const labels = Int32Array.from({ length: n }, (_, i) => i % p.classes);
  const px = IMAGE_SIZE * IMAGE_SIZE;
  const images = new Float32Array(n * px);
  const spectrograms = new Float32Array(n * MEL_BINS * FRAMES);
  for (let i = 0; i < n; i++) {
    images.set(drawImage(labels[i], p, i), i * px);
    spectrograms.set(
      logMelSpectrogram(clip(labels[i], p, i), SAMPLE_RATE, { frames: FRAMES, melBins: MEL_BINS, fftSize: 256 }),
      i * px,
    );
  }
  return {
    name: 'audio-visual',
    modalities: [
      { name: 'image', shape: [IMAGE_SIZE, IMAGE_SIZE], kind: 'image' },
      { name: 'audio', shape: [MEL_BINS, FRAMES], kind: 'spectrogram' },
    ],
    classNames: SHAPES.slice(0, p.classes).map((s, k) => `${s} + ${CHORDS[k].join('/')} Hz`),
    features: [images, spectrograms],
    labels,
    split: stratifiedSplit(labels, { val: 0.15, test: 0.2 }, createRng(p.seed)),
    audio: { 1: (i) => encodeWav(clip(labels[i], p, i), SAMPLE_RATE) },
  };
}

/** Each sample's randomness comes from its own seed, so a clip can be regenerated alone. */
const sampleRng = (p: AudioVisualParams, i: number, stream: number) => createRng((p.seed * 1_000_003 + i) * 4 + stream);

function drawImage(y: number, p: AudioVisualParams, i: number): Float32Array {
  const rng = sampleRng(p, i, 0);
  const jitter = Math.min(p.imageNoise, 1);
  const scale = 1 + 0.25 * jitter * (2 * rng.next() - 1);
  const dx = 0.3 * jitter * (2 * rng.next() - 1);
  const dy = 0.3 * jitter * (2 * rng.next() - 1);
  const out = new Float32Array(IMAGE_SIZE * IMAGE_SIZE);
  for (let r = 0; r < IMAGE_SIZE; r++)
    for (let c = 0; c < IMAGE_SIZE; c++) {
      const x = ((2 * (c + 0.5)) / IMAGE_SIZE - 1 - dx) / scale;
      const yy = (1 - (2 * (r + 0.5)) / IMAGE_SIZE - dy) / scale;
      out[r * IMAGE_SIZE + c] = (inside(SHAPES[y], x, yy) ? 1 : 0) + p.imageNoise * rng.normal();
    }
  return out;
}

function clip(y: number, p: AudioVisualParams, i: number): Float32Array {
  const rng = sampleRng(p, i, 1);
  const shift = 1 + 0.15 * Math.min(p.audioNoise, 1) * (2 * rng.next() - 1);
  return synthTone(
    CHORDS[y].map((f) => f * shift),
    CLIP_SECONDS,
    SAMPLE_RATE,
    p.audioNoise,
    () => rng.next(),
  );
}
