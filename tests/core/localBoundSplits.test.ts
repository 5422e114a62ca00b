import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/random';
import type { SplitMultiplier } from '../../src/core/robust/localBound/backSubstitution';
import { forwardEncoder } from '../../src/core/robust/localBound/boundForward';
import { marginProblem } from '../../src/core/robust/localBound/encoderBound';
import { relaxEncoder, type NeuronSplit } from '../../src/core/robust/localBound/encoderRelaxation';
import { forwardOp, type Block } from '../../src/core/robust/localBound/linearOps';
import { shareRows } from '../../src/core/robust/localBound/marginBound';
import { readBoundModel } from '../../src/core/robust/localBound/readBoundModel';
import { searchSlopes, slopeGradient } from '../../src/core/robust/localBound/slopeOptimisation';
import { mlp, randomModel } from './localBoundHelpers';

/**
 * Branch and bound's split multipliers (β-CROWN, backSubstitution.ts): on a branch where a neuron
 * is held at side·z ≥ 0, the margin rows' bound with any β ≥ 0 stays below the rows' true value
 * at every point of the ball on that branch; the gradient the search follows is the bound's; and
 * the search uses it (a higher bound than without β somewhere).
 */
describe('split multipliers (β-CROWN) on a branch', async () => {
  const model = randomModel([[6], [6]], [mlp([8, 6], 'relu'), mlp([8, 6], 'relu')], 3, 'joint', 3);
  const net = await readBoundModel(model);
  model.dispose();
  const enc = net.encoders[0];
  const rows = shareRows(net, 0, 0);
  const d = rows.length / 2;
  const rng = createRng(5);
  const cases: { x: Float64Array; r: number; split: NeuronSplit }[] = [];
  for (let trial = 0; trial < 6; trial++) {
    const x = Float64Array.from({ length: 6 }, () => rng.normal());
    const r = 0.5 + rng.next();
    const free = relaxEncoder(enc, x, r);
    for (const layer of [0, 1]) {
      const st = free.states[layer];
      const neuron = [...st.lower].findIndex((l, i) => l < 0 && st.upper[i] > 0);
      if (neuron >= 0) for (const side of [1, -1] as const) cases.push({ x, r, split: { layer, neuron, side } });
    }
  }
  /** The rows' lower bounds on the branch with multiplier β (the same for both rows). */
  const branch = (c: (typeof cases)[number]) => {
    const relaxed = relaxEncoder(enc, c.x, c.r, undefined, [c.split]);
    const problem = marginProblem(relaxed, rows, 2, [c.split]);
    const slopes = relaxed.states.map((st) =>
      Float64Array.from({ length: 2 * st.lower.length }, (_, i) => st.relax.kLo[i % st.lower.length]),
    );
    const at = (beta: number) => {
      const multipliers: SplitMultiplier[] = [{ ...c.split, coef: Float64Array.of(beta, beta) }];
      const trace: Block[] = [];
      const b = problem.bound({ slopes, trace, beta: multipliers });
      return { b, trace, multipliers, lower: Float64Array.from(b.value, (v, i) => v - c.r * b.norm[i]) };
    };
    return { relaxed, problem, slopes, at };
  };

  it('cases include both layers and both sides', () => {
    expect(cases.filter((c) => c.split.layer === 1).length).toBeGreaterThan(2);
    expect(cases.filter((c) => c.split.layer === 0).length).toBeGreaterThan(2);
  });

  it('the bound holds at sampled points of the ball on the branch, for several β ≥ 0', () => {
    let checked = 0;
    for (const c of cases) {
      const { at } = branch(c);
      for (const beta of [0, 0.3, 2]) {
        const { lower } = at(beta);
        for (let p = 0; p < 300; p++) {
          const dir = Float64Array.from(c.x, () => rng.normal());
          const len = Math.hypot(...dir);
          const scale = (c.r * Math.sqrt(rng.next())) / len;
          const x = Float64Array.from(c.x, (v, j) => v + scale * dir[j]);
          // The split neuron's pre-activation at x: the layers below, then its own linear ops.
          let z: Float64Array = x;
          for (let t = 0; t <= c.split.layer; t++) {
            if (t > 0) z = forwardEncoder({ ...enc, layers: enc.layers.slice(0, t) }, x);
            for (const op of enc.layers[t].ops) z = forwardOp(op, z);
          }
          if (c.split.side * z[c.split.neuron] < 0) continue;
          const phi = forwardEncoder(enc, x);
          for (let row = 0; row < 2; row++) {
            let share = 0;
            for (let j = 0; j < d; j++) share += rows[row * d + j] * phi[j];
            expect(lower[row]).toBeLessThanOrEqual(share + 1e-9);
          }
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(1000);
  });

  it('d bound / dβ equals central finite differences', () => {
    for (const c of cases)
      for (const beta of [0, 0.3]) {
        const { problem, slopes, at } = branch(c);
        const a = at(beta);
        const masks = a.trace.map((blk) => new Uint8Array(blk.grid.c));
        const g = slopeGradient(
          problem,
          a.b,
          a.trace,
          slopes,
          masks,
          a.multipliers,
          Float64Array.from(a.b.norm, (n) => c.r / n),
        ).beta[0];
        const h = 1e-6;
        const [up, down] = [at(beta + h).lower, at(beta - h).lower];
        for (let row = 0; row < 2; row++) {
          const fd = (up[row] - down[row]) / (2 * h);
          expect(Math.abs(g[row] - fd)).toBeLessThan(1e-5 * (1 + Math.abs(fd)));
        }
      }
  });

  it('the search raises the bound with β where the branch constraint matters', () => {
    let raised = 0;
    let lowered = 0;
    for (const c of cases) {
      const { relaxed } = branch(c);
      const search = { iterations: 20, learningRate: 0.1 };
      const run = (splits?: NeuronSplit[]) =>
        searchSlopes(
          [marginProblem(relaxed, rows, 2, splits)],
          2,
          ([b]) => ({
            lower: Float64Array.from(b.value, (v, i) => v - c.r * b.norm[i]),
            dualNorm: b.norm,
            radius: c.r,
          }),
          [false, false],
          search,
        ).best;
      const [withBeta, without] = [run([c.split]), run()];
      // Adam moves the slopes and β together, so β need not win everywhere: it must win more often than it loses.
      withBeta.forEach((v, row) => {
        if (v > without[row] + 1e-6) raised++;
        if (v < without[row] - 1e-6) lowered++;
      });
    }
    console.log(`split multipliers: bound raised on ${raised} rows, lowered on ${lowered} of ${2 * cases.length}`);
    expect(raised).toBeGreaterThan(lowered);
  });
});
