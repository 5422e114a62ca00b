import { DataError } from '../dataError';
import { checkAudioHeader } from '../limits';

/**
 * WAV reading and writing for uploaded media pairs (`<class>/<id>.wav`) and generated tones.
 * Decoding mixes every channel down to mono because the audio encoder takes one channel.
 */

export interface DecodedWav {
  sampleRate: number;
  /** Mono, nominally in [-1, 1]. */
  samples: Float32Array;
}

const FORMAT_PCM = 1;
const FORMAT_FLOAT = 3;
const FORMAT_EXTENSIBLE = 0xfffe;
const FORMAT_NAMES: Record<number, string> = {
  2: 'Microsoft ADPCM',
  6: 'A-law',
  7: 'µ-law',
  17: 'IMA ADPCM',
  85: 'MP3',
};

interface Chunk {
  offset: number;
  size: number;
}

interface Format {
  float: boolean;
  /** Bytes per sample of one channel. */
  width: number;
  channels: number;
  sampleRate: number;
}

export function decodeWav(name: string, bytes: Uint8Array): DecodedWav {
  if (bytes.length < 12 || tag(bytes, 0) !== 'RIFF' || tag(bytes, 8) !== 'WAVE') {
    throw new DataError(`${name} is not a RIFF/WAVE file`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const { fmt, data } = findChunks(name, bytes, view);
  if (!fmt) throw new DataError(`${name} has no fmt chunk`);
  if (!data) throw new DataError(`${name} has no data chunk`);
  const f = readFormat(name, view, fmt);

  const frameBytes = f.width * f.channels;
  // A trailing partial frame is dropped rather than rejected: some writers leave one behind.
  const frames = Math.floor(data.size / frameBytes);
  if (frames === 0) throw new DataError(`${name} has no audio samples`);
  // Rate, channels and length from the header, before a sample is decoded or resampled.
  checkAudioHeader(name, f.sampleRate, f.channels, frames / f.sampleRate);
  const read = reader(view, f);
  const samples = new Float32Array(frames);
  for (let i = 0, p = data.offset; i < frames; i++) {
    let sum = 0;
    for (let c = 0; c < f.channels; c++, p += f.width) sum += read(p);
    samples[i] = sum / f.channels;
    // Only float files can hold NaN or infinities; one of them would poison the whole spectrogram.
    if (f.float && !Number.isFinite(samples[i])) throw nonFinite(name, view, f, data.offset + i * frameBytes, i);
  }
  return { sampleRate: f.sampleRate, samples };
}

function nonFinite(name: string, view: DataView, f: Format, at: number, frame: number): DataError {
  const read = reader(view, f);
  let c = 0;
  while (c < f.channels - 1 && Number.isFinite(read(at + c * f.width))) c++;
  const v = read(at + c * f.width);
  const what = Number.isFinite(v) ? 'beyond the 32-bit float range' : String(v);
  const channel = f.channels > 1 ? ` of channel ${c + 1}` : '';
  return new DataError(
    `${name}: sample ${frame + 1}${channel} (at ${(frame / f.sampleRate).toFixed(3)} s) is ${what}; audio must hold finite values`,
  );
}

/** 16-bit PCM mono; samples are clamped to [-1, 1]. */
export function encodeWav(samples: Float32Array, sampleRate: number): Uint8Array {
  const dataBytes = samples.length * 2;
  const bytes = new Uint8Array(44 + dataBytes);
  const view = new DataView(bytes.buffer);
  const ascii = (offset: number, s: string) => [...s].forEach((ch, i) => (bytes[offset + i] = ch.charCodeAt(0)));
  ascii(0, 'RIFF');
  view.setUint32(4, 36 + dataBytes, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, FORMAT_PCM, true);
  view.setUint16(22, 1, true);
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * 2, true);
  view.setUint16(32, 2, true);
  view.setUint16(34, 16, true);
  ascii(36, 'data');
  view.setUint32(40, dataBytes, true);
  for (let i = 0; i < samples.length; i++) {
    // Scaling by 32768 (not 32767) mirrors the decoder, so a round trip is off by at most one step.
    const v = Math.round(Math.max(-1, Math.min(1, samples[i])) * 32768);
    view.setInt16(44 + 2 * i, Math.min(32767, v), true);
  }
  return bytes;
}

function findChunks(name: string, bytes: Uint8Array, view: DataView): { fmt?: Chunk; data?: Chunk } {
  const found: { fmt?: Chunk; data?: Chunk } = {};
  // The RIFF size field is often wrong in the wild, so the walk goes by the bytes actually present.
  let offset = 12;
  while (offset + 8 <= bytes.length && !(found.fmt && found.data)) {
    const id = tag(bytes, offset).trim();
    const size = view.getUint32(offset + 4, true);
    const body = offset + 8;
    const available = bytes.length - body;
    if (size > available) {
      throw new DataError(`${name} is truncated: the ${id} chunk declares ${size} bytes but only ${available} follow`);
    }
    if ((id === 'fmt' || id === 'data') && !found[id]) found[id] = { offset: body, size };
    // Chunks are word-aligned: an odd-sized chunk is followed by one pad byte.
    offset = body + size + (size & 1);
  }
  return found;
}

function readFormat(name: string, view: DataView, fmt: Chunk): Format {
  const o = fmt.offset;
  if (fmt.size < 16)
    throw new DataError(`${name}: the fmt chunk is too short (${fmt.size} bytes; at least 16 expected)`);
  let code = view.getUint16(o, true);
  const channels = view.getUint16(o + 2, true);
  const sampleRate = view.getUint32(o + 4, true);
  // For WAVE_FORMAT_EXTENSIBLE this is the container size; the valid bits sit left-justified in it.
  const bits = view.getUint16(o + 14, true);
  if (code === FORMAT_EXTENSIBLE) {
    if (fmt.size < 40) {
      throw new DataError(`${name}: the fmt chunk is too short (${fmt.size} bytes; at least 40 expected)`);
    }
    // The sub-format GUID begins with the plain format code; the rest is a fixed suffix.
    code = view.getUint16(o + 24, true);
  }
  if (code !== FORMAT_PCM && code !== FORMAT_FLOAT) {
    const known = FORMAT_NAMES[code] ? `, ${FORMAT_NAMES[code]}` : '';
    throw new DataError(
      `${name} uses an unsupported encoding (format code ${code}${known}); save it as PCM (8, 16, 24 or 32-bit) or 32/64-bit float`,
    );
  }
  const float = code === FORMAT_FLOAT;
  if (float ? bits !== 32 && bits !== 64 : bits < 1 || bits > 32) {
    const allowed = float ? '32 or 64' : '8, 16, 24 or 32';
    throw new DataError(`${name}: ${bits}-bit ${float ? 'float' : 'PCM'} is not supported; use ${allowed} bits`);
  }
  if (channels === 0) throw new DataError(`${name}: the fmt chunk declares 0 channels`);
  if (sampleRate === 0) throw new DataError(`${name}: the fmt chunk declares a sample rate of 0 Hz`);
  return { float, width: Math.ceil(bits / 8), channels, sampleRate };
}

function reader(view: DataView, f: Format): (p: number) => number {
  if (f.float) return f.width === 4 ? (p) => view.getFloat32(p, true) : (p) => view.getFloat64(p, true);
  switch (f.width) {
    case 1:
      // 8-bit WAV is the one unsigned PCM width.
      return (p) => (view.getUint8(p) - 128) / 128;
    case 2:
      return (p) => view.getInt16(p, true) / 32768;
    case 3:
      return (p) => (view.getUint8(p) | (view.getUint8(p + 1) << 8) | (view.getInt8(p + 2) << 16)) / 8388608;
    default:
      return (p) => view.getInt32(p, true) / 2147483648;
  }
}

function tag(bytes: Uint8Array, offset: number): string {
  return String.fromCharCode(bytes[offset], bytes[offset + 1], bytes[offset + 2], bytes[offset + 3]);
}
