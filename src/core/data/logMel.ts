/**
 * Audio features in plain TypeScript, so the synthetic audio-visual dataset, uploaded WAVs and
 * the CLI give identical spectrograms whatever the tensor backend.
 */

// The encoder lives beside the decoder; re-exported so tone generation and playback need one import.
export { encodeWav } from './formats/wav';

export interface LogMelOptions {
  /** Time steps in the output; the hop is chosen so that they cover the whole clip. */
  frames: number;
  melBins: number;
  /** Window length, a power of two; default 512 (32 ms at 16 kHz). */
  fftSize?: number;
  /** Lower edge of the lowest filter in Hz; default 0. */
  fMin?: number;
  /** Upper edge of the highest filter in Hz; default the Nyquist frequency. */
  fMax?: number;
}

export const DEFAULT_FFT_SIZE = 512;
/** Keeps the logarithm finite in silence: log(1e-6) ≈ -13.8 is the floor of every output value. */
export const LOG_FLOOR = 1e-6;
/** Fade at each end of a synthetic tone, so the clip starts and ends without a click. */
const FADE_SECONDS = 0.01;

/**
 * Linear interpolation between neighbouring samples. There is no anti-aliasing filter, so when
 * downsampling, content above the new Nyquist frequency folds back; good enough for log-mel
 * features, not for listening.
 */
export function resample(samples: Float32Array, from: number, to: number): Float32Array {
  positive('resample', 'from', from);
  positive('resample', 'to', to);
  if (from === to) return samples.slice();
  const n = Math.round((samples.length * to) / from);
  const out = new Float32Array(n);
  const step = from / to;
  const last = samples.length - 1;
  for (let i = 0; i < n; i++) {
    const p = i * step;
    const j = Math.floor(p);
    out[i] = j >= last ? samples[last] : samples[j] + (samples[j + 1] - samples[j]) * (p - j);
  }
  return out;
}

/** In-place complex FFT (iterative radix-2 Cooley–Tukey, no normalisation); the length must be a power of two. */
export function fft(re: Float64Array, im: Float64Array): void {
  const n = re.length;
  if (im.length !== n || !isPowerOfTwo(n)) {
    throw new RangeError(`fft: the length must be a power of two, the same for both parts (got ${n} and ${im.length})`);
  }
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      [re[i], re[j]] = [re[j], re[i]];
      [im[i], im[j]] = [im[j], im[i]];
    }
  }
  // Twiddles from a table rather than a running product, whose rounding error grows with n.
  const { cos, sin } = twiddles(n);
  for (let len = 2; len <= n; len <<= 1) {
    const half = len >> 1;
    const stride = n / len;
    for (let start = 0; start < n; start += len) {
      for (let k = 0; k < half; k++) {
        const a = start + k;
        const b = a + half;
        const wr = cos[k * stride];
        const wi = sin[k * stride];
        const xr = re[b] * wr - im[b] * wi;
        const xi = re[b] * wi + im[b] * wr;
        re[b] = re[a] - xr;
        im[b] = im[a] - xi;
        re[a] += xr;
        im[a] += xi;
      }
    }
  }
}

/** HTK mel scale. */
export function hzToMel(hz: number): number {
  return 2595 * Math.log10(1 + hz / 700);
}

export function melToHz(mel: number): number {
  return 700 * (10 ** (mel / 2595) - 1);
}

/**
 * Triangular filters with peak 1 (no area normalisation), centres equally spaced in mel between
 * fMin and fMax, each reaching from its left neighbour's centre to its right one's. Row m weighs
 * the fftSize / 2 + 1 power bins; between the first and last centres the rows sum to 1.
 * Weights come from each bin's exact frequency, so a filter narrower than a bin can be all zero:
 * keep melBins modest for small windows.
 */
export function melFilterbank(
  melBins: number,
  fftSize: number,
  sampleRate: number,
  fMin = 0,
  fMax = sampleRate / 2,
): Float32Array[] {
  checkBank(melBins, fftSize, sampleRate, fMin, fMax);
  const lo = hzToMel(fMin);
  const step = (hzToMel(fMax) - lo) / (melBins + 1);
  const edges = Array.from({ length: melBins + 2 }, (_, i) => melToHz(lo + i * step));
  const bins = fftSize / 2 + 1;
  return Array.from({ length: melBins }, (_, m) => {
    const [left, centre, right] = [edges[m], edges[m + 1], edges[m + 2]];
    const row = new Float32Array(bins);
    for (let k = 0; k < bins; k++) {
      const f = (k * sampleRate) / fftSize;
      row[k] = Math.max(0, Math.min((f - left) / (centre - left), (right - f) / (right - centre)));
    }
    return row;
  });
}

/**
 * A fixed-size log-mel spectrogram, row-major [melBins, frames]: row 0 is the lowest band, time
 * runs along each row. The hop is ceil(length / frames), the clip is zero-padded at the end to
 * frames × hop, and frame t is centred on the middle of its hop; so any clip length gives exactly
 * `frames` columns. Power is |FFT|² of the Hann-windowed frame divided by (Σ window)², so a sine
 * of amplitude A peaks near A² / 4 whatever the window length; the output is log(mel power + 1e-6).
 */
export function logMelSpectrogram(samples: Float32Array, sampleRate: number, o: LogMelOptions): Float32Array {
  const { frames, melBins } = o;
  const fftSize = o.fftSize ?? DEFAULT_FFT_SIZE;
  if (!Number.isInteger(frames) || frames < 1) {
    throw new RangeError(`logMelSpectrogram: frames must be a positive integer (got ${frames})`);
  }
  const { bank, window, windowSum } = analysis(melBins, fftSize, sampleRate, o.fMin ?? 0, o.fMax ?? sampleRate / 2);
  const n = samples.length;
  const hop = Math.max(1, Math.ceil(n / frames));
  // A hop longer than half the window would leave audio unseen or barely weighted, so such a frame
  // averages windows overlapping by half (Welch), whose Hann weights then sum to a constant.
  const windows = Math.ceil((2 * hop) / fftSize);
  const scale = 1 / (windowSum * windowSum * windows);
  const bins = fftSize / 2 + 1;
  const re = new Float64Array(fftSize);
  const im = new Float64Array(fftSize);
  const power = new Float64Array(bins);
  const out = new Float32Array(melBins * frames);
  for (let t = 0; t < frames; t++) {
    power.fill(0);
    for (let w = 0; w < windows; w++) {
      const start = Math.round(t * hop + ((w + 0.5) * hop) / windows - fftSize / 2);
      for (let i = 0; i < fftSize; i++) {
        const j = start + i;
        re[i] = j >= 0 && j < n ? samples[j] * window[i] : 0;
        im[i] = 0;
      }
      fft(re, im);
      for (let k = 0; k < bins; k++) power[k] += re[k] * re[k] + im[k] * im[k];
    }
    for (let m = 0; m < melBins; m++) {
      const row = bank[m];
      let e = 0;
      for (let k = 0; k < bins; k++) e += row[k] * power[k];
      out[m * frames + t] = Math.log(e * scale + LOG_FLOOR);
    }
  }
  return out;
}

/**
 * Equal-amplitude sines (together peaking at 0.5, leaving headroom for the noise) with random
 * phases, a 10 ms raised-cosine fade at each end, plus Gaussian noise of standard deviation
 * `noise`. `rng` is uniform in [0, 1); the phases are drawn first, then the noise.
 */
export function synthTone(
  freqs: number[],
  seconds: number,
  sampleRate: number,
  noise: number,
  rng: () => number,
): Float32Array {
  positive('synthTone', 'sampleRate', sampleRate);
  for (const f of freqs) {
    if (!(f >= 0 && f <= sampleRate / 2)) {
      throw new RangeError(`synthTone: ${f} Hz is outside 0 to ${sampleRate / 2} Hz (the Nyquist frequency)`);
    }
  }
  const n = Math.max(0, Math.round(seconds * sampleRate));
  const out = new Float32Array(n);
  const amp = freqs.length > 0 ? 0.5 / freqs.length : 0;
  const phases = freqs.map(() => 2 * Math.PI * rng());
  const fade = Math.min(Math.round(FADE_SECONDS * sampleRate), Math.floor(n / 2));
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < freqs.length; j++) s += Math.sin((2 * Math.PI * freqs[j] * i) / sampleRate + phases[j]);
    const edge = Math.min(i, n - 1 - i);
    const gain = edge < fade ? 0.5 - 0.5 * Math.cos((Math.PI * edge) / fade) : 1;
    out[i] = amp * s * gain;
  }
  if (noise > 0) {
    for (let i = 0; i < n; i += 2) {
      // Box–Muller gives two independent normals per pair of uniforms; 1 - u keeps the log finite.
      const r = noise * Math.sqrt(-2 * Math.log(1 - rng()));
      const a = 2 * Math.PI * rng();
      out[i] += r * Math.cos(a);
      if (i + 1 < n) out[i + 1] += r * Math.sin(a);
    }
  }
  return out;
}

interface Analysis {
  key: string;
  bank: Float32Array[];
  window: Float64Array;
  windowSum: number;
}

// A dataset computes thousands of spectrograms with one setting: keep the last filterbank and window.
let lastAnalysis: Analysis | undefined;

function analysis(melBins: number, fftSize: number, sampleRate: number, fMin: number, fMax: number): Analysis {
  const key = `${melBins}/${fftSize}/${sampleRate}/${fMin}/${fMax}`;
  if (lastAnalysis?.key === key) return lastAnalysis;
  const bank = melFilterbank(melBins, fftSize, sampleRate, fMin, fMax);
  // Periodic Hann: the spectral-analysis form, whose overlapped copies sum to a constant.
  const window = Float64Array.from({ length: fftSize }, (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / fftSize));
  const windowSum = window.reduce((a, b) => a + b, 0);
  lastAnalysis = { key, bank, window, windowSum };
  return lastAnalysis;
}

const twiddleCache = new Map<number, { cos: Float64Array; sin: Float64Array }>();

function twiddles(n: number): { cos: Float64Array; sin: Float64Array } {
  let t = twiddleCache.get(n);
  if (!t) {
    const half = Math.max(1, n >> 1);
    t = {
      cos: Float64Array.from({ length: half }, (_, k) => Math.cos((-2 * Math.PI * k) / n)),
      sin: Float64Array.from({ length: half }, (_, k) => Math.sin((-2 * Math.PI * k) / n)),
    };
    twiddleCache.set(n, t);
  }
  return t;
}

function checkBank(melBins: number, fftSize: number, sampleRate: number, fMin: number, fMax: number): void {
  if (!Number.isInteger(melBins) || melBins < 1) {
    throw new RangeError(`melFilterbank: melBins must be a positive integer (got ${melBins})`);
  }
  if (!isPowerOfTwo(fftSize) || fftSize < 2) {
    throw new RangeError(`melFilterbank: fftSize must be a power of two of at least 2 (got ${fftSize})`);
  }
  positive('melFilterbank', 'sampleRate', sampleRate);
  if (!(fMin >= 0 && fMin < fMax && fMax <= sampleRate / 2)) {
    throw new RangeError(
      `melFilterbank: need 0 ≤ fMin < fMax ≤ ${sampleRate / 2} Hz (the Nyquist frequency); got ${fMin} and ${fMax}`,
    );
  }
}

function positive(fn: string, what: string, v: number): void {
  if (!(v > 0 && Number.isFinite(v))) throw new RangeError(`${fn}: ${what} must be a positive number (got ${v})`);
}

function isPowerOfTwo(n: number): boolean {
  return Number.isInteger(n) && n > 0 && (n & (n - 1)) === 0;
}
