import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/random';
import { bestFirst, depthFirst, type EvaluateSubdomain } from '../../src/core/robust/localBound/branchAndBound';
import type { NeuronSplit } from '../../src/core/robust/localBound/encoderRelaxation';
import { bisect, searchAbove } from '../../src/core/robust/localBound/radiusSearch';

/** A random branch-and-bound tree: each subdomain certifies with probability p, keyed by its splits, so every order sees the same tree. */
function randomTree(seed: number, p: number, depthLimit: number) {
  const fate = new Map<string, { certified: boolean; worst: number }>();
  const rng = createRng(seed);
  const key = (splits: NeuronSplit[][]) => JSON.stringify(splits);
  const of = (splits: NeuronSplit[][]) => {
    const k = key(splits);
    if (!fate.has(k)) fate.set(k, { certified: rng.next() < p, worst: -rng.next() });
    return fate.get(k)!;
  };
  let evaluations = 0;
  const evaluate: EvaluateSubdomain = (splits, depth) => {
    evaluations++;
    const f = of(splits);
    if (f.certified) return { certified: true, worst: 0 };
    if (depth >= depthLimit) return { certified: false, worst: f.worst };
    const pick = { encoder: 0, layer: 0, neuron: depth };
    return { certified: false, worst: f.worst, split: { pick, parent: { certified: [], slopes: [] } } };
  };
  /** The whole tree, independently: whether every leaf certifies, and how many subdomains it has. */
  const full = (splits: NeuronSplit[][], depth: number): { ok: boolean; size: number } => {
    if (of(splits).certified) return { ok: true, size: 1 };
    if (depth >= depthLimit) return { ok: false, size: 1 };
    const sides = ([1, -1] as const).map((side) =>
      full([[...splits[0], { layer: 0, neuron: depth, side }]], depth + 1),
    );
    return { ok: sides.every((s) => s.ok), size: 1 + sides[0].size + sides[1].size };
  };
  return { evaluate, full: () => full([[]], 0), spent: () => evaluations };
}

/** Leaves of one binary tree of splits: no leaf is a prefix of another and their shares 2^−depth sum to 1. */
function expectCover(cover: NeuronSplit[][][]) {
  const paths = cover.map((c) => c[0].map((sp) => (sp.side > 0 ? '+' : '-')).join(''));
  expect(paths.reduce((a, p) => a + 2 ** -p.length, 0)).toBe(1);
  for (const a of paths) expect(paths.filter((b) => b.startsWith(a))).toEqual([a]);
}

describe('branch and bound orders', () => {
  it('best-first certifies exactly when the whole tree certifies within the budget, and spends at most the budget', () => {
    let certified = 0;
    let overBudget = 0;
    for (let seed = 0; seed < 300; seed++) {
      const p = 0.3 + 0.5 * (seed % 5) * 0.25;
      const tree = randomTree(seed, p, 6);
      const { ok, size } = tree.full();
      const depthFirstSays = depthFirst(tree.evaluate, [[]]);
      expect(depthFirstSays).toBe(ok);
      expect(bestFirst(tree.evaluate, [[[]]], Infinity).certified).toBe(ok);
      for (const budget of [1, 3, 8, 20, 60]) {
        const before = tree.spent();
        const found = bestFirst(tree.evaluate, [[[]]], budget);
        const says = found.certified;
        expect(says).toBe(ok && size <= budget);
        expect(tree.spent() - before).toBeLessThanOrEqual(budget);
        // What it ends with covers the ball: the leaves of a tree of splits, each point on exactly one.
        expectCover(found.cover);
        // And a search from that cover, as the next radius starts, decides as one from the whole ball.
        expect(bestFirst(tree.evaluate, found.cover, Infinity).certified).toBe(ok);
        if (says) certified++;
        if (ok && size > budget) overBudget++;
      }
    }
    // The cases are not degenerate: some certify, some would but not within their budget.
    expect(certified).toBeGreaterThan(50);
    expect(overBudget).toBeGreaterThan(50);
  });
});

describe('radius searches', () => {
  it('return only a radius at which the test held (or the known-certified start)', () => {
    const rng = createRng(5);
    for (let trial = 0; trial < 400; trial++) {
      const frontier = 0.1 + 3 * rng.next();
      const noise = trial % 2 === 0 ? 0 : 0.2;
      const held = new Set<number>();
      const asked: number[] = [];
      // Mostly monotone, with random wrong answers on odd trials: the searches must not assume monotonicity.
      const certified = (r: number) => {
        asked.push(r);
        const ok = rng.next() < noise ? rng.next() < 0.5 : r <= frontier;
        if (ok) held.add(r);
        return ok;
      };
      const lo = trial % 3 === 0 ? 0 : frontier * 0.3;
      const r = bisect(certified, lo, frontier * (0.5 + rng.next()), 1e-3);
      expect(r === lo || held.has(r)).toBe(true);
      const r0 = frontier * (0.6 + 0.3 * rng.next());
      const above = searchAbove(certified, r0, 1e-2);
      expect(above === r0 || held.has(above)).toBe(true);
      if (noise === 0) {
        // On a monotone test both land within their tolerance below the frontier.
        expect(r).toBeLessThanOrEqual(frontier);
        expect(r).toBeGreaterThanOrEqual(frontier / (1 + 1e-3) ** 2);
        expect(above).toBeLessThanOrEqual(frontier);
        expect(above).toBeGreaterThanOrEqual(frontier / (1 + 1e-2) ** 2);
      }
      expect(asked.every((a) => Number.isFinite(a) && a > 0)).toBe(true);
    }
  });
});
