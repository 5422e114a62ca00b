import { DataError } from '../dataError';
import type { Dataset } from '../dataset';
import { logMelSpectrogram, resample } from '../logMel';
import type { DecodedImage } from './png';
import { stratifiedSplit } from '../splits';
import { createRng } from '../../random';
import type { UploadFile } from './upload';
import { encodeWav } from './wav';
import { checkDatasetSize } from '../limits';

/** How the environment decodes media: the browser's decoders in the page, small pure ones in Node. */
export interface MediaDecoders {
  image(name: string, bytes: Uint8Array): Promise<DecodedImage>;
  audio(name: string, bytes: Uint8Array): Promise<{ sampleRate: number; samples: Float32Array }>;
}

/** Images become 32×32 grey levels; audio 1 s at 16 kHz becomes a 32×32 log-mel spectrogram. */
export const MEDIA = { imageSize: 32, sampleRate: 16000, seconds: 1, melBins: 32, frames: 32 } as const;

const IMAGE = /\.(png|jpe?g|webp)$/i;
const AUDIO = /\.(wav|mp3|ogg)$/i;
/** Clips kept for playback in the data panel: the first few of each class. */
const PLAYABLE_PER_CLASS = 2;

/**
 * Media pairs (DESIGN.md "Formats"): `<class>/<id>.<png|jpg|webp>` with `<class>/<id>.<wav|mp3|ogg>`,
 * paired by file stem. Every file must have its partner; every problem names the file.
 */
export async function parseMediaPairs(
  files: UploadFile[],
  o: { name: string; seed?: number; onProgress?: (fraction: number, message: string) => void },
  decode: MediaDecoders,
): Promise<Dataset> {
  const pairs = new Map<string, { image?: UploadFile; audio?: UploadFile }>();
  for (const f of files) {
    const isImage = IMAGE.test(f.path);
    if (!isImage && !AUDIO.test(f.path)) continue;
    const parts = f.path.split('/');
    if (parts.length !== 2)
      throw new DataError(
        `${f.path} is not directly inside a class folder: media uploads are <class>/<id>.<png|jpg|webp> paired ` +
          `with <class>/<id>.<wav|mp3|ogg>`,
      );
    const key = f.path.replace(/\.[^.]+$/, '');
    const pair = pairs.get(key) ?? {};
    const slot = isImage ? 'image' : 'audio';
    if (pair[slot])
      throw new DataError(`${pair[slot]!.path} and ${f.path} are two ${slot} files for the same sample ${key}`);
    pair[slot] = f;
    pairs.set(key, pair);
  }
  for (const [key, p] of pairs) {
    if (!p.audio) throw new DataError(`${p.image!.path} has no audio partner (${key}.wav, .mp3 or .ogg)`);
    if (!p.image) throw new DataError(`${p.audio.path} has no image partner (${key}.png, .jpg or .webp)`);
  }
  const keys = [...pairs.keys()].sort();
  const classNames = [...new Set(keys.map((k) => k.split('/')[0]))].sort();
  const labels = Int32Array.from(keys, (k) => classNames.indexOf(k.split('/')[0]));
  const px = MEDIA.imageSize * MEDIA.imageSize;
  const bins = MEDIA.melBins * MEDIA.frames;
  checkDatasetSize(o.name, keys.length, [
    { name: 'image', size: px },
    { name: 'audio', size: bins },
  ]);
  const images = new Float32Array(keys.length * px);
  const spectrograms = new Float32Array(keys.length * bins);
  const playable = new Map<number, Uint8Array>();
  const kept = new Array(classNames.length).fill(0);
  for (let i = 0; i < keys.length; i++) {
    if (i % 25 === 0) o.onProgress?.(0.05 + (0.95 * i) / keys.length, `Decoding pair ${i + 1} of ${keys.length}…`);
    const { image, audio } = pairs.get(keys[i])!;
    images.set(toGrey(await decodeOrExplain(image!, 'an image', decode.image), MEDIA.imageSize), i * px);
    const clip = fitClip(await decodeOrExplain(audio!, 'audio', decode.audio));
    spectrograms.set(
      logMelSpectrogram(clip, MEDIA.sampleRate, { frames: MEDIA.frames, melBins: MEDIA.melBins }),
      i * bins,
    );
    if (kept[labels[i]]++ < PLAYABLE_PER_CLASS) playable.set(i, encodeWav(clip, MEDIA.sampleRate));
  }
  return {
    name: o.name,
    modalities: [
      { name: 'image', shape: [MEDIA.imageSize, MEDIA.imageSize], kind: 'image' },
      { name: 'audio', shape: [MEDIA.melBins, MEDIA.frames], kind: 'spectrogram' },
    ],
    classNames,
    features: [images, spectrograms],
    labels,
    split: stratifiedSplit(labels, { val: 0.15, test: 0.2 }, createRng(o.seed ?? 1)),
    audio: { 1: (i) => playable.get(i) ?? null },
  };
}

async function decodeOrExplain<T>(
  f: UploadFile,
  what: string,
  decoder: (name: string, b: Uint8Array) => Promise<T>,
): Promise<T> {
  try {
    return await decoder(f.path, f.bytes);
  } catch (e) {
    if (e instanceof DataError) throw e;
    throw new DataError(`${f.path} cannot be decoded as ${what} (${e instanceof Error ? e.message : String(e)})`);
  }
}

/** Luminance, resized by averaging the source pixels that fall in each target cell (or the nearest one). */
function toGrey(img: DecodedImage, size: number): Float32Array {
  const out = new Float32Array(size * size);
  for (let r = 0; r < size; r++)
    for (let c = 0; c < size; c++) {
      const y0 = Math.floor((r * img.height) / size);
      const y1 = Math.max(y0 + 1, Math.floor(((r + 1) * img.height) / size));
      const x0 = Math.floor((c * img.width) / size);
      const x1 = Math.max(x0 + 1, Math.floor(((c + 1) * img.width) / size));
      let sum = 0;
      for (let y = y0; y < y1; y++)
        for (let x = x0; x < x1; x++) {
          const o = 4 * (y * img.width + x);
          sum += (0.299 * img.rgba[o] + 0.587 * img.rgba[o + 1] + 0.114 * img.rgba[o + 2]) / 255;
        }
      out[r * size + c] = sum / ((y1 - y0) * (x1 - x0));
    }
  return out;
}

/**
 * Cropped to the first second, then resampled to 16 kHz and zero-padded, so every spectrogram
 * covers the same time. Cropping first keeps the cost at one second whatever the clip's length
 * and rate; the one extra source sample is the last interpolation needs.
 */
function fitClip(a: { sampleRate: number; samples: Float32Array }): Float32Array {
  const needed = Math.ceil(a.sampleRate * MEDIA.seconds) + 1;
  const s = resample(a.samples.subarray(0, needed), a.sampleRate, MEDIA.sampleRate);
  const out = new Float32Array(MEDIA.sampleRate * MEDIA.seconds);
  out.set(s.subarray(0, out.length));
  return out;
}
