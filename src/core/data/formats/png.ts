import { DataError } from '../dataError';
import { checkImagePixels } from '../limits';
import { inflateZlibBounded } from './inflate';

export interface DecodedImage {
  width: number;
  height: number;
  /** Row-major RGBA, 8 bits per channel. */
  rgba: Uint8Array | Uint8ClampedArray;
}

const SIGNATURE = [137, 80, 78, 71, 13, 10, 26, 10];

/**
 * A small PNG decoder for where the browser's image decoders are absent (the Node CLI): 8-bit,
 * non-interlaced, grey, grey + alpha, RGB, RGBA and palette images. The page decodes every
 * format with the browser instead. The size in IHDR is checked against the pixel limit before
 * anything is inflated, and the image data is inflated only as far as that size needs.
 */
export function decodePng(name: string, bytes: Uint8Array): DecodedImage {
  if (bytes.length < 8 || SIGNATURE.some((b, i) => bytes[i] !== b)) throw new DataError(`${name} is not a PNG file`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = 8;
  let width = 0;
  let height = 0;
  let colorType = -1;
  let palette: Uint8Array | null = null;
  const idat: Uint8Array[] = [];
  let ended = false;
  while (pos + 8 <= bytes.length) {
    const length = view.getUint32(pos);
    const type = String.fromCharCode(...bytes.subarray(pos + 4, pos + 8));
    const data = bytes.subarray(pos + 8, pos + 8 + length);
    if (data.length < length) throw new DataError(`${name} is truncated inside its ${type} chunk`);
    if ((pos === 8) !== (type === 'IHDR'))
      throw new DataError(`${name} is not a readable PNG image (its chunks are out of order)`);
    if (type === 'IHDR') {
      if (length !== 13) throw new DataError(`${name} is not a readable PNG image (its IHDR chunk is ${length} bytes)`);
      width = view.getUint32(pos + 8);
      height = view.getUint32(pos + 12);
      checkImagePixels(name, width, height);
      const depth = data[8];
      colorType = data[9];
      if (depth !== 8 || data[12] !== 0)
        throw new DataError(
          `${name} is a ${depth}-bit${data[12] ? ', interlaced' : ''} PNG; the CLI reads 8-bit non-interlaced PNG ` +
            `(the page reads every format)`,
        );
    } else if (type === 'PLTE') palette = data;
    else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') {
      ended = true;
      break;
    }
    pos += 12 + length;
  }
  if (!ended) throw new DataError(`${name} is truncated: it ends before its IEND chunk`);
  const channels = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 }[colorType];
  if (!channels || width === 0 || height === 0 || idat.length === 0)
    throw new DataError(`${name} is not a readable PNG image`);
  const stride = width * channels;
  const expected = height * (stride + 1);
  let raw: Uint8Array;
  try {
    // Data past what the size needs is ignored, as libpng does; it is never inflated.
    raw = inflateZlibBounded(concat(idat), expected).bytes;
  } catch (e) {
    throw new DataError(`${name} has corrupt image data (${(e as Error).message})`);
  }
  if (raw.length < expected) throw new DataError(`${name} is truncated: its image data is incomplete`);
  const pixels = unfilter(raw, width, height, channels);
  const rgba = new Uint8Array(width * height * 4);
  for (let i = 0, p = 0, o = 0; i < width * height; i++, p += channels, o += 4) {
    if (colorType === 3) {
      const k = 3 * pixels[p];
      rgba[o] = palette?.[k] ?? 0;
      rgba[o + 1] = palette?.[k + 1] ?? 0;
      rgba[o + 2] = palette?.[k + 2] ?? 0;
      rgba[o + 3] = 255;
    } else {
      const grey = colorType === 0 || colorType === 4;
      rgba[o] = pixels[p];
      rgba[o + 1] = grey ? pixels[p] : pixels[p + 1];
      rgba[o + 2] = grey ? pixels[p] : pixels[p + 2];
      rgba[o + 3] = colorType === 4 ? pixels[p + 1] : colorType === 6 ? pixels[p + 3] : 255;
    }
  }
  return { width, height, rgba };
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Undoes PNG's per-row filters (none, sub, up, average, Paeth). */
function unfilter(raw: Uint8Array, width: number, height: number, bpp: number): Uint8Array {
  const stride = width * bpp;
  const out = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const src = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const row = out.subarray(y * stride, (y + 1) * stride);
    const prev = y > 0 ? out.subarray((y - 1) * stride, y * stride) : new Uint8Array(stride);
    for (let x = 0; x < stride; x++) {
      const a = x >= bpp ? row[x - bpp] : 0;
      const b = prev[x];
      const c = x >= bpp ? prev[x - bpp] : 0;
      const predictor =
        filter === 1 ? a : filter === 2 ? b : filter === 3 ? (a + b) >> 1 : filter === 4 ? paeth(a, b, c) : 0;
      row[x] = (src[x] + predictor) & 255;
    }
  }
  return out;
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}
