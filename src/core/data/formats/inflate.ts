import { Inflate } from 'fflate';

const SLICE = 8192;

/**
 * Raw DEFLATE data inflated into a buffer of at most `max` bytes, fed in small slices so that a
 * stream that lies about its size stops after one slice's worth of output past `max` (deflate
 * expands at most ~1032:1, so 8 KB in gives at most ~8 MB out) instead of after all of it.
 *
 * `overflow`: the stream holds more than `max` bytes (the rest was never inflated).
 * Throws a plain Error for data that is not DEFLATE or is cut short; callers name the file.
 */
export function inflateBounded(data: Uint8Array, max: number): { bytes: Uint8Array; overflow: boolean } {
  const out = new Uint8Array(max);
  let length = 0;
  let overflow = false;
  const inflater = new Inflate((chunk) => {
    const room = max - length;
    if (chunk.length > room) overflow = true;
    out.set(chunk.length > room ? chunk.subarray(0, room) : chunk, length);
    length += Math.min(chunk.length, room);
  });
  for (let at = 0; at < data.length && !overflow; at += SLICE) {
    inflater.push(data.subarray(at, at + SLICE), at + SLICE >= data.length);
  }
  return { bytes: length === max ? out : out.subarray(0, length), overflow };
}

/** A zlib stream (2-byte header, DEFLATE data, Adler-32), as in PNG's IDAT chunks. */
export function inflateZlibBounded(data: Uint8Array, max: number): ReturnType<typeof inflateBounded> {
  if (data.length < 2 || (data[0] & 0x0f) !== 8 || ((data[0] << 8) | data[1]) % 31 !== 0 || data[1] & 0x20)
    throw new Error('invalid zlib header');
  return inflateBounded(data.subarray(2), max);
}
