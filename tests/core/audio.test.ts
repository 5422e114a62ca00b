import { describe, expect, it } from 'vitest';
import { encodeWav, fft, logMelSpectrogram, melFilterbank, resample, synthTone } from '../../src/core/data/logMel';
import { DataError } from '../../src/core/data/dataError';
import { decodeWav } from '../../src/core/data/formats/wav';
import { createRng } from '../../src/core/random';

// Oracles written independently of the code under test.
function naiveDft(re: number[], im: number[]): { re: number[]; im: number[] } {
  const n = re.length;
  const out = { re: new Array<number>(n).fill(0), im: new Array<number>(n).fill(0) };
  for (let k = 0; k < n; k++) {
    for (let t = 0; t < n; t++) {
      const a = (-2 * Math.PI * k * t) / n;
      out.re[k] += re[t] * Math.cos(a) - im[t] * Math.sin(a);
      out.im[k] += re[t] * Math.sin(a) + im[t] * Math.cos(a);
    }
  }
  return out;
}

const mel = (f: number) => 2595 * Math.log10(1 + f / 700);
const hz = (m: number) => 700 * (Math.pow(10, m / 2595) - 1);

/** Centre frequencies of the HTK filters, equally spaced in mel. */
function centres(melBins: number, fMin: number, fMax: number): number[] {
  const step = (mel(fMax) - mel(fMin)) / (melBins + 1);
  return Array.from({ length: melBins }, (_, m) => hz(mel(fMin) + (m + 1) * step));
}

/** The filter that weighs `f` most: the one whose centre is nearest in mel. */
function melBinOf(f: number, melBins: number, fMin: number, fMax: number): number {
  const c = centres(melBins, fMin, fMax).map((x) => Math.abs(mel(x) - mel(f)));
  return c.indexOf(Math.min(...c));
}

function argmax(a: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < a.length; i++) if (a[i] > a[best]) best = i;
  return best;
}

/** Row m, column t of a [melBins, frames] spectrogram, as a column per frame. */
function column(spec: Float32Array, melBins: number, frames: number, t: number): number[] {
  return Array.from({ length: melBins }, (_, m) => spec[m * frames + t]);
}

function dominantFrequency(x: Float32Array, sampleRate: number): number {
  // Upward zero crossings over the middle of the clip, away from any edge effects.
  const from = Math.floor(x.length * 0.1);
  const to = Math.floor(x.length * 0.9);
  const crossings: number[] = [];
  for (let i = from; i < to; i++) if (x[i - 1] < 0 && x[i] >= 0) crossings.push(i - x[i] / (x[i] - x[i - 1]));
  const periods = crossings.length - 1;
  return (periods * sampleRate) / (crossings[periods] - crossings[0]);
}

interface WavSpec {
  format: number;
  channels: number;
  sampleRate: number;
  bits: number;
  data: Uint8Array;
  /** WAVE_FORMAT_EXTENSIBLE wrapping `format` as the sub-format. */
  extensible?: boolean;
  /** Chunks written before fmt, e.g. LIST. */
  before?: { id: string; body: Uint8Array }[];
}

function chunk(id: string, body: Uint8Array, declared = body.length): number[] {
  const head = [...id].map((c) => c.charCodeAt(0));
  const size = [declared & 0xff, (declared >>> 8) & 0xff, (declared >>> 16) & 0xff, declared >>> 24];
  return [...head, ...size, ...body, ...(body.length % 2 ? [0] : [])];
}

function fmtBody(s: WavSpec): Uint8Array {
  const body = new Uint8Array(s.extensible ? 40 : 16);
  const v = new DataView(body.buffer);
  const block = s.channels * Math.ceil(s.bits / 8);
  v.setUint16(0, s.extensible ? 0xfffe : s.format, true);
  v.setUint16(2, s.channels, true);
  v.setUint32(4, s.sampleRate, true);
  v.setUint32(8, s.sampleRate * block, true);
  v.setUint16(12, block, true);
  v.setUint16(14, s.bits, true);
  if (s.extensible) {
    v.setUint16(16, 22, true);
    v.setUint16(18, s.bits, true);
    v.setUint32(20, 0, true);
    const guid = [s.format, 0, 0, 0, 0, 0, 0x10, 0, 0x80, 0, 0, 0xaa, 0, 0x38, 0x9b, 0x71];
    body.set(guid, 24);
  }
  return body;
}

function buildWav(s: WavSpec): Uint8Array {
  const chunks = [...(s.before ?? []).flatMap((c) => chunk(c.id, c.body)), ...chunk('fmt ', fmtBody(s))];
  return riff([...chunks, ...chunk('data', s.data)]);
}

function riff(chunks: number[]): Uint8Array {
  const size = chunks.length + 4;
  const head = [...'RIFF'].map((c) => c.charCodeAt(0));
  const wave = [...'WAVE'].map((c) => c.charCodeAt(0));
  return Uint8Array.from([
    ...head,
    size & 0xff,
    (size >>> 8) & 0xff,
    (size >>> 16) & 0xff,
    size >>> 24,
    ...wave,
    ...chunks,
  ]);
}

function le(width: number, values: number[], write: (v: DataView, o: number, x: number) => void): Uint8Array {
  const out = new Uint8Array(values.length * width);
  const v = new DataView(out.buffer);
  values.forEach((x, i) => write(v, i * width, x));
  return out;
}

const int16 = (values: number[]) => le(2, values, (v, o, x) => v.setInt16(o, x, true));
const text = (s: string) => Uint8Array.from([...s].map((c) => c.charCodeAt(0)));

describe('fft', () => {
  it('matches a naive DFT on random complex input of every size up to 256', () => {
    const rng = createRng(3);
    for (let n = 1; n <= 256; n *= 2) {
      const re = Array.from({ length: n }, () => rng.normal());
      const im = Array.from({ length: n }, () => rng.normal());
      const want = naiveDft(re, im);
      const gotRe = Float64Array.from(re);
      const gotIm = Float64Array.from(im);
      fft(gotRe, gotIm);
      for (let k = 0; k < n; k++) {
        expect(gotRe[k]).toBeCloseTo(want.re[k], 9);
        expect(gotIm[k]).toBeCloseTo(want.im[k], 9);
      }
    }
  });

  it('rejects a length that is not a power of two', () => {
    expect(() => fft(new Float64Array(12), new Float64Array(12))).toThrow(RangeError);
  });
});

describe('melFilterbank', () => {
  const [melBins, fftSize, sampleRate, fMin, fMax] = [20, 1024, 16000, 100, 7000];
  const bank = melFilterbank(melBins, fftSize, sampleRate, fMin, fMax);
  const binHz = sampleRate / fftSize;

  it('has one row per band over fftSize / 2 + 1 bins, peaking at the HTK centre frequencies', () => {
    expect(bank).toHaveLength(melBins);
    const c = centres(melBins, fMin, fMax);
    bank.forEach((row, m) => {
      expect(row).toHaveLength(fftSize / 2 + 1);
      expect(Math.abs(argmax(row) * binHz - c[m])).toBeLessThanOrEqual(binHz / 2);
      expect(Math.max(...row)).toBeGreaterThan(0.9);
      expect(Math.max(...row)).toBeLessThanOrEqual(1);
    });
  });

  it('is zero outside each triangle and sums to 1 between the first and last centres', () => {
    const c = centres(melBins, fMin, fMax);
    const edges = [fMin, ...c, fMax];
    bank.forEach((row, m) => {
      row.forEach((w, k) => {
        const f = k * binHz;
        if (f <= edges[m] || f >= edges[m + 2]) expect(w).toBe(0);
      });
    });
    for (let k = 0; k <= fftSize / 2; k++) {
      const f = k * binHz;
      const sum = bank.reduce((s, row) => s + row[k], 0);
      if (f >= c[0] && f <= c[melBins - 1]) expect(sum).toBeCloseTo(1, 5);
      if (f <= fMin || f >= fMax) expect(sum).toBe(0);
    }
  });

  it('rejects a band range beyond the Nyquist frequency', () => {
    expect(() => melFilterbank(10, 512, 16000, 0, 9000)).toThrow(RangeError);
  });
});

describe('logMelSpectrogram', () => {
  const sampleRate = 16000;
  const o = { frames: 32, melBins: 40 };

  it('puts a 1 kHz tone in the mel bin containing 1 kHz in every frame', () => {
    const tone = synthTone([1000], 1, sampleRate, 0.05, createRng(1).next);
    const spec = logMelSpectrogram(tone, sampleRate, o);
    const want = melBinOf(1000, o.melBins, 0, sampleRate / 2);
    for (let t = 0; t < o.frames; t++) expect(argmax(column(spec, o.melBins, o.frames, t))).toBe(want);
  });

  it('tells two tones apart', () => {
    const peak = (f: number) => {
      const spec = logMelSpectrogram(synthTone([f], 0.5, sampleRate, 0.05, createRng(2).next), sampleRate, o);
      return argmax(column(spec, o.melBins, o.frames, o.frames >> 1));
    };
    expect(peak(500)).toBe(melBinOf(500, o.melBins, 0, sampleRate / 2));
    expect(peak(3000)).toBe(melBinOf(3000, o.melBins, 0, sampleRate / 2));
    expect(peak(500)).not.toBe(peak(3000));
  });

  it('has the same shape for any clip length, with silence at the log floor', () => {
    for (const n of [0, 1, 100, 511, 4000, 16000, 3 * 16000 + 7]) {
      const clip = synthTone([440], n / sampleRate, sampleRate, 0.1, createRng(n).next);
      const spec = logMelSpectrogram(clip, sampleRate, { ...o, fftSize: 256 });
      expect(spec).toHaveLength(o.melBins * o.frames);
      expect(spec.every(Number.isFinite)).toBe(true);
    }
    const silent = logMelSpectrogram(new Float32Array(8000), sampleRate, o);
    expect(silent.every((v) => v === Math.fround(Math.log(1e-6)))).toBe(true);
  });

  it('sees a click anywhere in a long clip, even when the hop is longer than the window', () => {
    const [frames, melBins] = [8, 16];
    const hop = (10 * sampleRate) / frames;
    const floor = Math.fround(Math.log(1e-6));
    // Frames overlap by a fraction of a window, as in any STFT, so the clicks keep clear of the borders.
    for (let at = 5 * hop + 200; at < 6 * hop - 200; at += 997) {
      const clip = new Float32Array(10 * sampleRate);
      clip[at] = 1;
      const spec = logMelSpectrogram(clip, sampleRate, { frames, melBins, fftSize: 256 });
      const loudness = Array.from({ length: frames }, (_, t) => spec[(melBins >> 1) * frames + t] - floor);
      expect(loudness.map((v) => v > 0.1)).toEqual([false, false, false, false, false, true, false, false]);
    }
  });
});

describe('synthTone', () => {
  it('is deterministic for a seeded rng, starts and ends silent without noise, and holds its frequency', () => {
    const a = synthTone([440, 660], 0.25, 8000, 0.1, createRng(5).next);
    expect(a).toEqual(synthTone([440, 660], 0.25, 8000, 0.1, createRng(5).next));
    const clean = synthTone([440], 0.5, 8000, 0, createRng(5).next);
    expect(clean).toHaveLength(4000);
    expect(Math.abs(clean[0])).toBe(0);
    expect(Math.abs(clean[3999])).toBeLessThan(1e-3);
    expect(Math.max(...clean.map(Math.abs))).toBeLessThanOrEqual(0.5);
    expect(dominantFrequency(clean, 8000)).toBeCloseTo(440, 0);
  });

  it('adds noise of the requested standard deviation', () => {
    const noise = synthTone([], 1, 16000, 0.3, createRng(6).next);
    const sd = Math.sqrt(noise.reduce((s, x) => s + x * x, 0) / noise.length);
    expect(sd).toBeGreaterThan(0.29);
    expect(sd).toBeLessThan(0.31);
  });
});

describe('resample', () => {
  it('keeps the frequency of a sine when upsampling and downsampling', () => {
    for (const [from, to] of [
      [8000, 16000],
      [44100, 16000],
      [22050, 16000],
    ]) {
      const x = Float32Array.from({ length: from }, (_, i) => Math.sin((2 * Math.PI * 440 * i) / from));
      const y = resample(x, from, to);
      expect(y).toHaveLength(to);
      expect(dominantFrequency(y, to)).toBeCloseTo(440, 0);
      // Past the last input sample the output holds that sample, so the comparison stops there.
      const inside = y.subarray(0, Math.floor(((from - 1) * to) / from) + 1);
      const worst = Math.max(...inside.map((v, i) => Math.abs(v - Math.sin((2 * Math.PI * 440 * i) / to))));
      expect(worst).toBeLessThan(0.02);
    }
  });

  it('copies when the rates match', () => {
    const x = Float32Array.of(1, 2, 3);
    const y = resample(x, 16000, 16000);
    expect(y).toEqual(x);
    expect(y).not.toBe(x);
  });
});

describe('WAV', () => {
  it('round-trips 16-bit PCM within one quantisation step', () => {
    const x = synthTone([300, 1200], 0.2, 22050, 0.2, createRng(7).next);
    x[0] = 1;
    x[1] = -1;
    x[2] = 1.5;
    const { sampleRate, samples } = decodeWav('tone.wav', encodeWav(x, 22050));
    expect(sampleRate).toBe(22050);
    expect(samples).toHaveLength(x.length);
    samples.forEach((v, i) => expect(Math.abs(v - Math.max(-1, Math.min(1, x[i])))).toBeLessThanOrEqual(1 / 32768));
  });

  it('decodes 8-bit unsigned PCM', () => {
    const data = Uint8Array.of(0, 128, 255, 64);
    const { samples } = decodeWav('a.wav', buildWav({ format: 1, channels: 1, sampleRate: 8000, bits: 8, data }));
    expect([...samples]).toEqual([-1, 0, 127 / 128, -0.5]);
  });

  it('decodes 24-bit PCM, behind a LIST chunk of odd length', () => {
    const values = [0x7fffff, -0x800000, 1, -1, 0x123456];
    const data = le(3, values, (v, o, x) => {
      v.setUint8(o, x & 0xff);
      v.setUint8(o + 1, (x >> 8) & 0xff);
      v.setUint8(o + 2, (x >> 16) & 0xff);
    });
    const before = [{ id: 'LIST', body: text('INFOISFT\x03\x00\x00\x00ab\x00') }];
    expect(before[0].body.length % 2).toBe(1);
    const wav = buildWav({ format: 1, channels: 1, sampleRate: 48000, bits: 24, data, before });
    const { sampleRate, samples } = decodeWav('b.wav', wav);
    expect(sampleRate).toBe(48000);
    expect([...samples]).toEqual(values.map((x) => Math.fround(x / 8388608)));
  });

  it('decodes 32-bit integer, 32-bit float and 64-bit float', () => {
    const values = [0.5, -0.25, 0.125, -1];
    const i32 = le(4, values, (v, o, x) => v.setInt32(o, x * 2147483648, true));
    const f32 = le(4, values, (v, o, x) => v.setFloat32(o, x, true));
    const f64 = le(8, values, (v, o, x) => v.setFloat64(o, x, true));
    const base = { channels: 1, sampleRate: 16000 };
    expect([...decodeWav('c.wav', buildWav({ ...base, format: 1, bits: 32, data: i32 })).samples]).toEqual(values);
    expect([...decodeWav('d.wav', buildWav({ ...base, format: 3, bits: 32, data: f32 })).samples]).toEqual(values);
    expect([...decodeWav('e.wav', buildWav({ ...base, format: 3, bits: 64, data: f64 })).samples]).toEqual(values);
  });

  it('mixes stereo and multichannel down to mono by averaging', () => {
    const stereo = int16([16384, -16384, 32767, 32767, -32768, 0]);
    const { samples } = decodeWav(
      'f.wav',
      buildWav({ format: 1, channels: 2, sampleRate: 8000, bits: 16, data: stereo }),
    );
    expect([...samples]).toEqual([0, Math.fround(32767 / 32768), -0.5]);
    const six = int16([6, 0, 0, 0, 0, 0, 600, 600, 600, 600, 600, 600]);
    const five1 = decodeWav('g.wav', buildWav({ format: 1, channels: 6, sampleRate: 8000, bits: 16, data: six }));
    expect([...five1.samples]).toEqual([1 / 32768, 600 / 32768].map(Math.fround));
  });

  it('decodes WAVE_FORMAT_EXTENSIBLE with a PCM or float sub-format', () => {
    const pcm = buildWav({
      format: 1,
      channels: 2,
      sampleRate: 96000,
      bits: 16,
      data: int16([8192, 8192]),
      extensible: true,
    });
    expect(decodeWav('h.wav', pcm)).toEqual({ sampleRate: 96000, samples: Float32Array.of(0.25) });
    const data = le(4, [0.75], (v, o, x) => v.setFloat32(o, x, true));
    const float = buildWav({ format: 3, channels: 1, sampleRate: 44100, bits: 32, data, extensible: true });
    expect(decodeWav('i.wav', float)).toEqual({ sampleRate: 44100, samples: Float32Array.of(0.75) });
  });

  it('reads from a view into a larger buffer', () => {
    const wav = encodeWav(Float32Array.of(0.5, -0.5), 8000);
    const padded = new Uint8Array(wav.length + 10);
    padded.set(wav, 3);
    expect([...decodeWav('j.wav', padded.subarray(3, 3 + wav.length)).samples]).toEqual([0.5, -0.5]);
  });

  describe('errors name the file and say what is wrong', () => {
    const pcm16 = { format: 1, channels: 1, sampleRate: 8000, bits: 16, data: int16([1, 2]) };
    const fails = (bytes: Uint8Array, message: string) => {
      expect(() => decodeWav('dog/3.wav', bytes)).toThrow(DataError);
      expect(() => decodeWav('dog/3.wav', bytes)).toThrow(message);
      let caught: unknown;
      try {
        decodeWav('dog/3.wav', bytes);
      } catch (e) {
        caught = e;
      }
      expect((caught as Error).message).toBe(message);
    };

    it('not a RIFF/WAVE file', () => {
      fails(text('ID3\x03 this is an mp3'), 'dog/3.wav is not a RIFF/WAVE file');
      fails(text('RIFF\x04\x00\x00\x00AVI '), 'dog/3.wav is not a RIFF/WAVE file');
      fails(new Uint8Array(0), 'dog/3.wav is not a RIFF/WAVE file');
    });

    it('missing fmt or data chunk', () => {
      fails(riff(chunk('data', int16([1, 2]))), 'dog/3.wav has no fmt chunk');
      fails(riff(chunk('fmt ', fmtBody(pcm16))), 'dog/3.wav has no data chunk');
    });

    it('unsupported encodings and sample widths', () => {
      const adpcm = buildWav({ ...pcm16, format: 2, bits: 4 });
      fails(
        adpcm,
        'dog/3.wav uses an unsupported encoding (format code 2, Microsoft ADPCM); save it as PCM (8, 16, 24 or 32-bit) or 32/64-bit float',
      );
      fails(
        buildWav({ ...pcm16, format: 0x1234 }),
        'dog/3.wav uses an unsupported encoding (format code 4660); save it as PCM (8, 16, 24 or 32-bit) or 32/64-bit float',
      );
      fails(
        buildWav({ ...pcm16, format: 7, extensible: true }),
        'dog/3.wav uses an unsupported encoding (format code 7, µ-law); save it as PCM (8, 16, 24 or 32-bit) or 32/64-bit float',
      );
      fails(buildWav({ ...pcm16, format: 3, bits: 16 }), 'dog/3.wav: 16-bit float is not supported; use 32 or 64 bits');
      fails(buildWav({ ...pcm16, bits: 48 }), 'dog/3.wav: 48-bit PCM is not supported; use 8, 16, 24 or 32 bits');
    });

    it('a malformed fmt chunk', () => {
      fails(
        riff([...chunk('fmt ', fmtBody(pcm16).subarray(0, 14)), ...chunk('data', pcm16.data)]),
        'dog/3.wav: the fmt chunk is too short (14 bytes; at least 16 expected)',
      );
      const shortExtensible = fmtBody({ ...pcm16, extensible: true }).subarray(0, 18);
      fails(
        riff([...chunk('fmt ', shortExtensible), ...chunk('data', pcm16.data)]),
        'dog/3.wav: the fmt chunk is too short (18 bytes; at least 40 expected)',
      );
      fails(buildWav({ ...pcm16, channels: 0 }), 'dog/3.wav: the fmt chunk declares 0 channels');
      fails(buildWav({ ...pcm16, sampleRate: 0 }), 'dog/3.wav: the fmt chunk declares a sample rate of 0 Hz');
    });

    it('zero samples', () => {
      fails(buildWav({ ...pcm16, data: new Uint8Array(0) }), 'dog/3.wav has no audio samples');
      // One byte is less than one 16-bit frame.
      fails(buildWav({ ...pcm16, data: Uint8Array.of(7) }), 'dog/3.wav has no audio samples');
    });

    it('truncated data', () => {
      const wav = encodeWav(new Float32Array(100), 8000);
      fails(wav.subarray(0, 44 + 50), 'dog/3.wav is truncated: the data chunk declares 200 bytes but only 50 follow');
      const list = riff([...chunk('fmt ', fmtBody(pcm16)), ...chunk('LIST', text('INFO'), 4000)]);
      fails(list, 'dog/3.wav is truncated: the LIST chunk declares 4000 bytes but only 4 follow');
    });
  });
});
