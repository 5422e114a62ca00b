import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng } from '../../core/random';

/** The shape of Scene-15 (4,485 images, 15 classes, GIST 20 + PHOG 59 + LBP 40): what a heavy page looks like. */
export const MANY_CLASS_SHAPE = { classes: 15, perClass: 299, views: { gist: 20, phog: 59, lbp: 40 } } as const;

/**
 * Writes a paired-CSV folder of that shape: each class a Gaussian blob per view, views of graded
 * strength (gist strongest), so a model learns it and every chart has something to draw.
 * Returns the folder, named `scene15like`.
 */
export function writeManyClassFolder(parent = mkdtempSync(join(tmpdir(), 'crmt-many-'))): string {
  const { classes, perClass, views } = MANY_CLASS_SHAPE;
  const rng = createRng(15);
  const n = classes * perClass;
  const labels = Array.from({ length: n }, (_, i) => i % classes);
  const dir = join(parent, 'scene15like');
  mkdirSync(dir, { recursive: true });
  const strength: Record<string, number> = { gist: 1.2, phog: 0.6, lbp: 0.35 };
  for (const [view, dim] of Object.entries(views)) {
    const centres = Array.from({ length: classes }, () => Array.from({ length: dim }, () => rng.normal()));
    const rows = labels.map((y) => centres[y].map((c) => (strength[view] * c + rng.normal()).toFixed(4)).join(','));
    const header = Array.from({ length: dim }, (_, j) => `v${j}`).join(',');
    writeFileSync(join(dir, `${view}.csv`), `${header}\n${rows.join('\n')}\n`);
  }
  writeFileSync(join(dir, 'labels.csv'), `label\n${labels.join('\n')}\n`);
  return dir;
}
