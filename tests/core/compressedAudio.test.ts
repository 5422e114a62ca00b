import { describe, expect, it } from 'vitest';
import { DataError } from '../../src/core/data/dataError';
import { checkCompressedAudio } from '../../src/core/data/formats/compressedAudio';

/** MPEG-1 Layer III, 128 kbit/s, 44.1 kHz, stereo: 417-byte frames of 1152 samples (from the format's tables). */
function mp3(frames: number, o: { id3?: number; header?: number[] } = {}): Uint8Array {
  const header = o.header ?? [0xff, 0xfb, 0x90, 0x00];
  const tag = o.id3
    ? [0x49, 0x44, 0x33, 4, 0, 0, 0, 0, (o.id3 >> 7) & 127, o.id3 & 127, ...new Array(o.id3).fill(0xff)]
    : [];
  const out = new Uint8Array(tag.length + frames * 417);
  out.set(tag);
  for (let i = 0; i < frames; i++) out.set(header, tag.length + i * 417);
  return out;
}

/** Ogg pages, one per packet list: capture pattern, version, flags, granule, serial, sequence, CRC (unchecked), lacing. */
function ogg(pages: number[][][]): Uint8Array {
  const parts: number[] = [];
  pages.forEach((packets, seq) => {
    const lacing = packets.flatMap((p) => [...new Array(Math.floor(p.length / 255)).fill(255), p.length % 255]);
    parts.push(
      ...[0x4f, 0x67, 0x67, 0x53, 0, seq === 0 ? 2 : 0],
      ...new Array(8).fill(0),
      1,
      0,
      0,
      0,
      seq,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
    );
    parts.push(lacing.length, ...lacing, ...packets.flat());
  });
  return Uint8Array.from(parts);
}
const bytes = (s: string) => [...s].map((c) => c.charCodeAt(0));
const opusHead = [...bytes('OpusHead'), 1, 2, 0, 0, 0x80, 0xbb, 0, 0, 0, 0, 0];
// Config 31 (CELT, 20 ms), one frame: 960 samples at 48 kHz.
const opus20ms = [0xf8, 0, 0];
const vorbisId = (rate: number) => [
  ...bytes('\x01vorbis'),
  0,
  0,
  0,
  0,
  1,
  rate & 255,
  (rate >> 8) & 255,
  (rate >> 16) & 255,
  0,
  ...new Array(12).fill(0),
  0xb8,
  1,
];

function refusal(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(DataError);
    return (e as Error).message;
  }
  throw new Error('expected a DataError');
}

describe('checkCompressedAudio: length from the headers, before Web Audio decodes', () => {
  it('MP3: counts frames (past an ID3 tag) and refuses a clip over the limit', () => {
    const h = checkCompressedAudio('a.mp3', mp3(383, { id3: 300 }));
    expect(h.sampleRate).toBe(44100);
    expect(h.channels).toBe(2);
    expect(h.seconds).toBeCloseTo((383 * 1152) / 44100, 6);
    expect(refusal(() => checkCompressedAudio('long.mp3', mp3(2400)))).toBe(
      'long.mp3 is 63 s long, over the limit of 60 s (only the first second is used; trim it)',
    );
  });

  it('MP3: a free-format stream or no frame at all is refused by name', () => {
    expect(refusal(() => checkCompressedAudio('free.mp3', mp3(3, { header: [0xff, 0xfb, 0x00, 0x00] })))).toBe(
      'free.mp3 uses a free-format MP3 bitrate, which the lab does not read; re-encode it',
    );
    expect(refusal(() => checkCompressedAudio('text.mp3', Uint8Array.from(bytes('hello, not audio'))))).toBe(
      'text.mp3 cannot be decoded as audio (no MP3 frame found)',
    );
  });

  it('Opus: 48 kHz, each packet as long as its TOC byte says', () => {
    const tags = [...bytes('OpusTags'), 0, 0, 0, 0, 0, 0, 0, 0];
    const second = new Array(50).fill(opus20ms);
    const h = checkCompressedAudio('a.ogg', ogg([[opusHead], [tags], ...new Array(10).fill(second)]));
    expect(h).toEqual({ sampleRate: 48000, channels: 2, seconds: 10 });
    expect(refusal(() => checkCompressedAudio('long.ogg', ogg([[opusHead], ...new Array(61).fill(second)])))).toBe(
      'long.ogg is 61 s long, over the limit of 60 s (only the first second is used; trim it)',
    );
  });

  it('Vorbis: the rate from the identification header, each audio packet at most half a long block', () => {
    // 431 one-byte audio packets, on pages of at most 255 segments.
    const pages = [200, 200, 31].map((n) => new Array(n).fill([0x00]));
    const h = checkCompressedAudio(
      'v.ogg',
      ogg([
        [vorbisId(44100)],
        [
          [3, ...bytes('vorbis')],
          [5, ...bytes('vorbis')],
        ],
        ...pages,
      ]),
    );
    expect(h.sampleRate).toBe(44100);
    expect(h.channels).toBe(1);
    expect(h.seconds).toBeCloseTo((431 * 1024) / 44100, 6);
    expect(refusal(() => checkCompressedAudio('slow.ogg', ogg([[vorbisId(1)], [[0]]])))).toBe(
      'slow.ogg declares a sample rate of 1 Hz; the lab reads 1,000 to 192,000 Hz',
    );
    expect(refusal(() => checkCompressedAudio('f.ogg', ogg([[bytes('\x7fFLAC....')]])))).toBe(
      'f.ogg cannot be decoded as audio (the Ogg file holds neither Vorbis nor Opus)',
    );
  });
});
