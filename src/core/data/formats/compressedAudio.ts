import { DataError } from '../dataError';
import { checkAudioHeader } from '../limits';

/**
 * Length, rate and channels of an MP3 or Ogg (Vorbis, Opus) file read from its frame and page
 * headers, without decoding: the page's Web Audio decoder decodes a whole file at once, so the
 * audio limits are checked with this before it runs. The length is an upper bound on what a
 * decoder produces: MP3 frames are counted (a decoder resyncs past junk, so the walk does too),
 * Ogg packets are counted at the most samples each can hold.
 */
export interface AudioHeader {
  sampleRate: number;
  channels: number;
  seconds: number;
}

export function checkCompressedAudio(name: string, bytes: Uint8Array): AudioHeader {
  const header = /\.ogg$/i.test(name) || ascii(bytes, 0) === 'OggS' ? oggHeader(name, bytes) : mp3Header(name, bytes);
  checkAudioHeader(name, header.sampleRate, header.channels, header.seconds);
  return header;
}

function ascii(bytes: Uint8Array, at: number, n = 4): string {
  return String.fromCharCode(...bytes.subarray(at, at + n));
}

const MP3_BITRATES: Record<string, number[]> = {
  // kbit/s by bitrate index 1–14, for MPEG-1 and MPEG-2/2.5 (the latter also MPEG-2.5), per layer.
  '1-1': [32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448],
  '1-2': [32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],
  '1-3': [32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
  '2-1': [32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],
  '2-2': [8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
  '2-3': [8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
};

interface Mp3Frame {
  length: number;
  samples: number;
  sampleRate: number;
  channels: number;
  freeFormat: boolean;
}

function mp3Frame(b: Uint8Array, p: number): Mp3Frame | null {
  if (p + 4 > b.length || b[p] !== 0xff || (b[p + 1] & 0xe0) !== 0xe0) return null;
  const version = (b[p + 1] >> 3) & 3; // 0: MPEG-2.5, 2: MPEG-2, 3: MPEG-1
  const layer = 4 - ((b[p + 1] >> 1) & 3); // 1, 2 or 3; 4 is reserved
  const bitrateIndex = b[p + 2] >> 4;
  const rateIndex = (b[p + 2] >> 2) & 3;
  if (version === 1 || layer === 4 || bitrateIndex === 15 || rateIndex === 3) return null;
  const mpeg1 = version === 3;
  const sampleRate = [44100, 48000, 32000][rateIndex] / (mpeg1 ? 1 : version === 2 ? 2 : 4);
  const channels = b[p + 3] >> 6 === 3 ? 1 : 2;
  const samples = layer === 1 ? 384 : layer === 3 && !mpeg1 ? 576 : 1152;
  if (bitrateIndex === 0) return { length: 0, samples, sampleRate, channels, freeFormat: true };
  const bitrate = MP3_BITRATES[`${mpeg1 ? 1 : 2}-${layer}`][bitrateIndex - 1] * 1000;
  const padding = (b[p + 2] >> 1) & 1;
  const length =
    layer === 1
      ? (Math.floor((12 * bitrate) / sampleRate) + padding) * 4
      : Math.floor(((samples / 8) * bitrate) / sampleRate) + padding;
  return { length, samples, sampleRate, channels, freeFormat: false };
}

function mp3Header(name: string, b: Uint8Array): AudioHeader {
  let p = 0;
  // An ID3v2 tag comes first: its size is four 7-bit bytes, plus 10 for a footer when flagged.
  if (ascii(b, 0, 3) === 'ID3' && b.length >= 10)
    p = 10 + ((b[6] << 21) | (b[7] << 14) | (b[8] << 7) | b[9]) + (b[5] & 0x10 ? 10 : 0);
  let samples = 0;
  let first: Mp3Frame | null = null;
  let channels = 1;
  while (p + 4 <= b.length) {
    const f = mp3Frame(b, p);
    if (!f) {
      p++;
      continue;
    }
    if (f.freeFormat)
      throw new DataError(`${name} uses a free-format MP3 bitrate, which the lab does not read; re-encode it`);
    // The first frame fixes the stream's rate; a "frame" of another rate is junk that happens to look like one.
    first ??= f;
    if (f.sampleRate === first.sampleRate) {
      samples += f.samples;
      channels = Math.max(channels, f.channels);
      p += f.length;
    } else p++;
  }
  if (!first) throw new DataError(`${name} cannot be decoded as audio (no MP3 frame found)`);
  return { sampleRate: first.sampleRate, channels, seconds: samples / first.sampleRate };
}

function oggHeader(name: string, b: Uint8Array): AudioHeader {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const bad = (why: string) => new DataError(`${name} cannot be decoded as audio (${why})`);
  let codec: { sampleRate: number; channels: number; maxSamples: (packet: number) => number } | null = null;
  let samples = 0;
  let packetStart = -1;
  for (let p = 0; p + 27 <= b.length;) {
    if (ascii(b, p) !== 'OggS') throw bad(`broken Ogg page at byte ${p}`);
    const segments = b[p + 26];
    let body = p + 27 + segments;
    if (body > b.length) break;
    for (let s = 0; s < segments; s++) {
      const lace = b[p + 27 + s];
      if (packetStart < 0) packetStart = body;
      body += lace;
      if (lace === 255) continue;
      if (packetStart >= b.length) break;
      if (!codec) codec = oggCodec(b, view, packetStart, bad);
      else samples += codec.maxSamples(packetStart);
      packetStart = -1;
    }
    p = body;
  }
  if (!codec) throw bad('no Vorbis or Opus stream found');
  return { sampleRate: codec.sampleRate, channels: codec.channels, seconds: samples / codec.sampleRate };
}

/** The codec from the stream's first packet, and the most samples one of its packets decodes to. */
function oggCodec(b: Uint8Array, view: DataView, p: number, bad: (why: string) => DataError) {
  if (ascii(b, p, 8) === 'OpusHead' && p + 19 <= b.length) {
    // Opus always decodes at 48 kHz; each packet's TOC byte gives its frame size and count.
    return {
      sampleRate: 48000,
      channels: b[p + 9],
      maxSamples: (q: number) => opusSamples(b, q),
    };
  }
  if (ascii(b, p, 7) === '\x01vorbis' && p + 29 <= b.length) {
    const longBlock = 1 << (b[p + 28] >> 4);
    // Header packets (odd type) decode to nothing; an audio packet to at most half a long block.
    return {
      sampleRate: view.getUint32(p + 12, true),
      channels: b[p + 11],
      maxSamples: (q: number) => (b[q] & 1 ? 0 : longBlock / 2),
    };
  }
  throw bad('the Ogg file holds neither Vorbis nor Opus');
}

function opusSamples(b: Uint8Array, q: number): number {
  if (ascii(b, q, 8) === 'OpusTags') return 0;
  const config = b[q] >> 3;
  const ms =
    config < 12 ? [10, 20, 40, 60][config % 4] : config < 16 ? [10, 20][config % 2] : [2.5, 5, 10, 20][config % 4];
  const code = b[q] & 3;
  const frames = code === 0 ? 1 : code < 3 ? 2 : (b[q + 1] ?? 0) & 0x3f;
  return frames * ms * 48;
}
