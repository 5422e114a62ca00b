import { decodeWav } from './wav';
import { DataError } from '../dataError';
import { parseMediaPairs, type MediaDecoders } from './mediaPairs';
import { parseNpyDataset } from './npyDataset';
import { decodePng } from './png';
import type { ParseOptions } from './upload';

/**
 * Decoders written in plain TypeScript (PNG, WAV): what the CLI has. The page's worker swaps in
 * the browser's image decoder, and the page turns MP3 and OGG into WAV before they reach it.
 */
export const pureMediaDecoders: MediaDecoders = {
  image: async (name, bytes) => {
    if (!/\.png$/i.test(name))
      throw new DataError(`${name}: the command line reads PNG images only; use the page for JPEG and WebP`);
    return decodePng(name, bytes);
  },
  audio: async (name, bytes) => {
    if (!/\.wav$/i.test(name))
      throw new DataError(`${name}: only WAV audio can be decoded here; use the page for MP3 and OGG`);
    return decodeWav(name, bytes);
  },
};

/** The parsers every environment shares, with the decoders it has. */
export function uploadParsers(
  decoders: MediaDecoders = pureMediaDecoders,
): Pick<ParseOptions, 'parseNumpy' | 'parseMedia'> {
  return {
    // Like the CSVs, the arrays sit at the top of the folder or ZIP.
    parseNumpy: (files, o) =>
      parseNpyDataset(
        files.filter((f) => !f.path.includes('/')).map((f) => ({ name: f.path, bytes: f.bytes })),
        o,
      ),
    parseMedia: (files, o) => parseMediaPairs(files, o, decoders),
  };
}
