import { parseNpyDataset } from './npyDataset';
import type { ParseOptions } from './upload';

/** The parsers that need no browser APIs: shared by the worker and the CLI. */
export const uploadParsers: Pick<ParseOptions, 'parseNumpy'> = {
  parseNumpy: (files, o) =>
    parseNpyDataset(
      files.map((f) => ({ name: f.path, bytes: f.bytes })),
      o,
    ),
};
