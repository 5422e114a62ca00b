import { Inflate } from 'fflate';

const SLICE = 8192;
// DEFLATE's best case: a 258-byte match in two bits.
const MAX_RATIO = 1032;

/**
 * Raw DEFLATE data inflated into at most `max` bytes, fed in small slices so that a stream that
 * lies about its size stops after one slice's worth of output past `max` (8 KB in gives at most
 * ~8 MB out) instead of after all of it. The buffer is sized once, to `max` or to the most the
 * data could inflate to, whichever is less, so nothing is copied as it fills.
 *
 * `overflow`: the stream holds more than `max` bytes (the rest was never inflated).
 * Throws a plain Error for data that is not DEFLATE or is cut short; callers name the file.
 */
export function inflateBounded(data: Uint8Array, max: number): { bytes: Uint8Array; overflow: boolean } {
  const out = new Uint8Array(Math.min(max, MAX_RATIO * data.length + 1024));
  let length = 0;
  let overflow = false;
  const inflater = new Inflate((chunk) => {
    const take = Math.min(chunk.length, out.length - length);
    if (take < chunk.length) overflow = true;
    out.set(chunk.subarray(0, take), length);
    length += take;
  });
  for (let at = 0; at < data.length && !overflow; at += SLICE) {
    inflater.push(data.subarray(at, at + SLICE), at + SLICE >= data.length);
  }
  return { bytes: length === out.length ? out : out.subarray(0, length), overflow };
}

/** A zlib stream (2-byte header, DEFLATE data, Adler-32), as in PNG's IDAT chunks. */
export function inflateZlibBounded(data: Uint8Array, max: number): ReturnType<typeof inflateBounded> {
  if (data.length < 2 || (data[0] & 0x0f) !== 8 || ((data[0] << 8) | data[1]) % 31 !== 0 || data[1] & 0x20)
    throw new Error('invalid zlib header');
  return inflateBounded(data.subarray(2), max);
}
