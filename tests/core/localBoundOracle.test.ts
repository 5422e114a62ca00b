import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { ACTIVATIONS } from '../../src/core/model/activationNames';
import { createRng } from '../../src/core/random';
import { forwardLogits } from '../../src/core/robust/localBound/boundForward';
import { gridSize } from '../../src/core/robust/localBound/boundNetwork';
import { localRadius } from '../../src/core/robust/localBound/localRadius';
import { competitors, marginLowerBounds } from '../../src/core/robust/localBound/marginBound';
import { readBoundModel } from '../../src/core/robust/localBound/readBoundModel';
import { forwardPlain, plainMarginBounds } from '../oracle/crownPlain';
import { exactMinMargin } from '../oracle/exactRegions';
import { ballPoint, mlp, randomModel, toPlainModel } from './localBoundHelpers';

describe('readBoundModel: the bound sees the model tfjs runs', () => {
  const cases = [
    { name: 'MLP, joint head', head: 'joint' as const, cnn: false },
    { name: 'MLP, CRMT head', head: 'crmt' as const, cnn: false },
    { name: 'CNN + MLP, CRMT head', head: 'crmt' as const, cnn: true },
  ];
  for (const c of cases)
    for (const activation of ACTIVATIONS)
      it(`${c.name}, ${activation}: float64 logits equal the model's (and the dense-matrix oracle's)`, async () => {
        const shapes = c.cnn ? [[7, 6, 2], [5]] : [[4], [3]];
        const encoders = [
          c.cnn ? { kind: 'cnn' as const, filters: [3, 2], outDim: 4, activation } : mlp([6, 4], activation),
          mlp([5, 4], activation),
        ];
        const model = randomModel(shapes, encoders, 3, c.head, 7);
        const net = await readBoundModel(model);
        const plain = toPlainModel(net);
        const rng = createRng(3);
        const dims = net.encoders.map((e) => gridSize(e.input));
        for (let i = 0; i < 5; i++) {
          const x = dims.map((d) => Float64Array.from({ length: d }, () => rng.normal()));
          const ours = forwardLogits(net, x);
          const theirs = tf.tidy(() =>
            model.forward(x.map((v) => tf.tensor2d(Float32Array.from(v), [1, v.length]))).logits.dataSync(),
          );
          const dense = forwardPlain(
            plain,
            x.map((v) => Array.from(v)),
          );
          for (let k = 0; k < 3; k++) {
            // float32 inputs and arithmetic in tfjs: agreement to float32 precision.
            expect(Math.abs(ours[k] - theirs[k])).toBeLessThan(1e-5 * (1 + Math.abs(ours[k])));
            expect(Math.abs(ours[k] - dense[k])).toBeLessThan(1e-12 * (1 + Math.abs(ours[k])));
          }
        }
        model.dispose();
      });
});

describe('CROWN bounds agree with the plain-array oracle and hold on samples', () => {
  for (const activation of ACTIVATIONS)
    for (const kind of ['MLP', 'wide-input MLP (Gram form of the first layer)', 'CNN'] as const)
      it(`${kind}, ${activation}: joint and per modality`, async () => {
        const cnn = kind === 'CNN';
        const wide = kind !== 'MLP' && !cnn;
        const shapes = cnn ? [[6, 6, 1], [3]] : wide ? [[12], [9]] : [[4], [3]];
        const encoders = [
          cnn ? { kind: 'cnn' as const, filters: [2, 3], outDim: 4, activation } : mlp([6, 5], activation),
          mlp([5, 4], activation),
        ];
        const model = randomModel(shapes, encoders, 3, 'crmt', 11);
        const net = await readBoundModel(model);
        model.dispose();
        const plain = toPlainModel(net);
        const rng = createRng(5);
        const dims = net.encoders.map((e) => gridSize(e.input));
        let unstableSeen = 0;
        for (let trial = 0; trial < 6; trial++) {
          const x = dims.map((d) => Float64Array.from({ length: d }, () => rng.normal()));
          const h = forwardLogits(net, x);
          const y = h.indexOf(Math.max(...h));
          const r = [0.05, 0.3, 1.5][trial % 3];
          for (const target of ['joint', 0, 1] as const) {
            const ours = marginLowerBounds(net, x, y, r, target);
            const oracle = plainMarginBounds(
              plain,
              x.map((v) => Array.from(v)),
              y,
              r,
              target,
            );
            competitors(3, y).forEach((k, i) => {
              const scale = 1 + Math.abs(oracle[i]);
              // Same algorithm: the slack-free values agree; the slack only lowers ours, and only a little.
              expect(Math.abs(ours.lower[i] + ours.slack[i] - oracle[i])).toBeLessThan(1e-9 * scale);
              expect(ours.lower[i]).toBeLessThanOrEqual(oracle[i]);
              expect(ours.slack[i]).toBeLessThan(1e-10 * scale);
              // Sound: no sampled point of the ball has a smaller margin.
              for (let s = 0; s < 60; s++) {
                const p = x.map((v) => Array.from(v));
                if (target === 'joint') {
                  const d = ballPoint(dims[0] + dims[1], r, rng);
                  p[0] = p[0].map((v, j) => v + d[j]);
                  p[1] = p[1].map((v, j) => v + d[dims[0] + j]);
                } else {
                  const d = ballPoint(dims[target], r, rng);
                  p[target] = p[target].map((v, j) => v + d[j]);
                }
                const hp = forwardPlain(plain, p);
                expect(ours.lower[i]).toBeLessThanOrEqual(hp[y] - hp[k]);
              }
            });
            if (ours.lower.some((v, i) => v < h[y] - h[competitors(3, y)[i]] - 1e-6)) unstableSeen++;
          }
        }
        // The cases include loose ones (some neuron unstable), not only exact linear regions.
        expect(unstableSeen).toBeGreaterThan(0);
      });
});

describe('against the exact minimum over the disk (activation regions, 2-D inputs)', () => {
  /** The exact distance to the decision boundary, to 1 %, knowing it is at least `from` (checked before). */
  const exactDistance = (f: (r: number) => number, from: number) => {
    let lo = Math.max(from, 1e-3);
    let hi = lo * 1.01;
    while (f(hi) > 0) {
      // Some samples cannot be flipped by one modality at all (a saturated branch).
      if (hi > 100 * lo + 100) return Infinity;
      [lo, hi] = [hi, hi * 1.5];
    }
    while (hi > lo * 1.01) {
      const mid = Math.sqrt(lo * hi);
      if (f(mid) > 0) lo = mid;
      else hi = mid;
    }
    return hi;
  };
  for (const activation of ['relu', 'leakyRelu'] as const)
    for (const setting of ['joint over two 1-D modalities', 'one 2-D modality alone'] as const)
      it(`${activation}, ${setting}: bounds never exceed the exact minimum; radii never exceed the exact distance`, async () => {
        const joint = setting.startsWith('joint');
        const shapes = joint ? [[1], [1]] : [[2], [2]];
        const ratios: number[] = [];
        let tighterByBranching = 0;
        let tighterByBabsr = 0;
        let tighterByParts = 0;
        let tighterByBestFirst = 0;
        for (let seed = 0; seed < 4; seed++) {
          // Small enough for the enumeration: at most 2^10 activation patterns.
          const widths = joint
            ? [
                [3, 2],
                [3, 2],
              ]
            : [
                [4, 3],
                [3, 3],
              ];
          const model = randomModel(
            shapes,
            widths.map((w) => mlp(w, activation)),
            3,
            'joint',
            seed,
          );
          const net = await readBoundModel(model);
          model.dispose();
          const plain = toPlainModel(net);
          const rng = createRng(seed + 50);
          const place = joint ? [[0], [1]] : [[0, 1], []];
          const target = joint ? ('joint' as const) : 0;
          for (let trial = 0; trial < 3; trial++) {
            const x = shapes.map((s) => Float64Array.from({ length: s[0] }, () => rng.normal()));
            const h = forwardLogits(net, x);
            const y = h.indexOf(Math.max(...h));
            const xs = x.map((v) => Array.from(v));
            const exactMin = (r: number) =>
              Math.min(...competitors(3, y).map((k) => exactMinMargin(plain, xs, y, k, r, place)));
            for (const r of [0.01, 0.2, 0.8, 3]) {
              const ours = marginLowerBounds(net, x, y, r, target);
              competitors(3, y).forEach((k, i) => {
                const exact = exactMinMargin(plain, xs, y, k, r, place);
                expect(ours.lower[i]).toBeLessThanOrEqual(exact + 1e-9);
              });
            }
            const local = localRadius(net, x, y, target);
            // Sound: the exact minimum margin is still positive at the certified radius (it only falls with r).
            expect(exactMin(local)).toBeGreaterThan(0);
            // So with every slope optimised (full α-CROWN), and that radius is at least CROWN's with margin slopes only.
            const full = localRadius(net, x, y, target, { intermediateSlopes: true });
            expect(exactMin(full)).toBeGreaterThan(0);
            expect(full).toBeGreaterThanOrEqual(local * (1 - 2e-3));
            // And with branch and bound on the loosest neurons, two splits deep.
            const branched = localRadius(net, x, y, target, { branching: 2 });
            expect(exactMin(branched)).toBeGreaterThan(0);
            expect(branched).toBeGreaterThanOrEqual(local * (1 - 2e-3));
            if (branched > local * 1.01) tighterByBranching++;
            // BaBSR's intercept score with β-CROWN's split multipliers, three deep: as sound, and at least as tight.
            const babsr = localRadius(net, x, y, target, { branching: 3, branchingScore: 'intercept' });
            expect(exactMin(babsr)).toBeGreaterThan(0);
            expect(babsr).toBeGreaterThanOrEqual(local * (1 - 2e-3));
            if (babsr > local * 1.01) tighterByBabsr++;
            // Best-first under an evaluation budget, branching only above the bound alone's radius: as
            // sound, never below that radius (its first stage is the same bisection), and tighter somewhere.
            const budgeted = { branching: 12, branchingBudget: 24, branchNearFrontier: true };
            const nearFrontier = localRadius(net, x, y, target, budgeted);
            expect(exactMin(nearFrontier)).toBeGreaterThan(0);
            expect(nearFrontier).toBeGreaterThanOrEqual(local);
            if (nearFrontier > local * 1.01) tighterByBestFirst++;
            // Also when each radius starts from the subdomains the last one ended with.
            const reused = localRadius(net, x, y, target, { ...budgeted, branchingReuse: true });
            expect(exactMin(reused)).toBeGreaterThan(0);
            expect(reused).toBeGreaterThanOrEqual(local);
            // With a budget that never runs out best-first decides as depth-first does: the same radius, bit for bit.
            const depthFirst = { branching: 3, jointParts: 1 };
            expect(localRadius(net, x, y, target, { ...depthFirst, branchingBudget: Infinity })).toBe(
              localRadius(net, x, y, target, depthFirst),
            );
            // The default covers the joint ball in parts (jointParts.ts): at least as tight as the whole ball alone.
            const whole = localRadius(net, x, y, target, { jointParts: 1 });
            expect(exactMin(whole)).toBeGreaterThan(0);
            if (joint) {
              expect(local).toBeGreaterThanOrEqual(whole * (1 - 2e-3));
              if (local > whole * 1.01) tighterByParts++;
            } else expect(local).toBe(whole);
            const exactR = exactDistance(exactMin, local);
            if (local > 0 && Number.isFinite(exactR)) ratios.push(exactR / local);
          }
        }
        // Tight on these tiny networks: the median certified radius is most of the exact distance.
        ratios.sort((a, b) => a - b);
        expect(ratios.length).toBeGreaterThan(8);
        expect(ratios[Math.floor(ratios.length / 2)]).toBeLessThan(1.5);
        // Branching is not a no-op: it certifies more than the bound alone somewhere.
        expect(tighterByBranching).toBeGreaterThan(0);
        expect(tighterByBabsr).toBeGreaterThan(0);
        expect(tighterByBestFirst).toBeGreaterThan(0);
        if (joint) expect(tighterByParts).toBeGreaterThan(0);
      });
});
