import { basename, resolve } from 'node:path';
import { parseUpload } from '../../src/core/data/formats/upload';
import { uploadParsers } from '../../src/core/data/formats/uploadParsers';
import { readUploadPath } from '../../src/cli/readUploadPath';

/**
 * `npx tsx tests/parity/readFolders.ts SEED DIR…`: each dataset folder read as `npm run experiment --
 * --data DIR` reads it, printed as one JSON line: what was read (modalities, classes, labels, split,
 * features), or the message it was refused with. python/tests/test_lab_cli.py compares the Python
 * readers with it, folder by folder.
 */
const [seed, ...dirs] = process.argv.slice(2);
for (const dir of dirs) {
  try {
    const { files, name } = await readUploadPath(dir);
    const d = await parseUpload(files, {
      name: name || basename(resolve(dir)),
      seed: Number(seed),
      ...uploadParsers(),
    });
    console.log(
      JSON.stringify({
        dir,
        modalities: d.modalities.map((m) => ({ name: m.name, shape: m.shape })),
        classes: d.classNames,
        labels: Array.from(d.labels),
        split: Array.from(d.split),
        features: d.features.map((f) => Array.from(f)),
      }),
    );
  } catch (e) {
    console.log(JSON.stringify({ dir, error: (e as Error).message }));
  }
}
