import { createRng } from '../../random';
import type { Dataset } from '../dataset';
import { stratifiedSplit } from '../splits';

export interface Toy2dParams {
  classes: number;
  samples: number;
  /** Distance of the class centres from the origin, per modality: larger is easier. */
  separationA: number;
  separationB: number;
  /** Standard deviation of the Gaussian noise around each centre, per modality. */
  noiseA: number;
  noiseB: number;
  seed: number;
}

/**
 * Two modalities, each a 2-D point, so decision regions can be drawn exactly. Class k sits at
 * angle 2πk/K on a circle; modality B's circle is rotated by half a step so the two planes
 * are not copies of each other.
 */
export function generateToy2d(p: Toy2dParams): Dataset {
  const rng = createRng(p.seed);
  const n = p.samples;
  const labels = new Int32Array(n);
  const a = new Float32Array(n * 2);
  const b = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) {
    const y = i % p.classes;
    labels[i] = y;
    const angA = (2 * Math.PI * y) / p.classes;
    const angB = angA + Math.PI / p.classes;
    a[2 * i] = p.separationA * Math.cos(angA) + p.noiseA * rng.normal();
    a[2 * i + 1] = p.separationA * Math.sin(angA) + p.noiseA * rng.normal();
    b[2 * i] = p.separationB * Math.cos(angB) + p.noiseB * rng.normal();
    b[2 * i + 1] = p.separationB * Math.sin(angB) + p.noiseB * rng.normal();
  }
  return {
    name: 'toy-2d',
    modalities: [
      { name: 'A', shape: [2] },
      { name: 'B', shape: [2] },
    ],
    classNames: Array.from({ length: p.classes }, (_, k) => `class ${k}`),
    features: [a, b],
    labels,
    split: stratifiedSplit(labels, { val: 0.15, test: 0.2 }, rng),
  };
}
