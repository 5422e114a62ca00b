import { describe, expect, it } from 'vitest';
import { createRng, type Rng } from '../../src/core/random';
import { forwardLogits } from '../../src/core/robust/localBound/boundForward';
import type { BoundModel, EncoderNet } from '../../src/core/robust/localBound/boundNetwork';
import { relaxEncoder } from '../../src/core/robust/localBound/encoderRelaxation';
import { partRadii } from '../../src/core/robust/localBound/jointParts';
import { jointPartMargins, marginLowerBounds, shareBound } from '../../src/core/robust/localBound/marginBound';
import { add, dot, dyadic, lessOrEqual, mul, sub, ZERO, type Dyadic } from '../oracle/dyadic';

/**
 * The float slack (floatSlack.ts) against exact arithmetic. Networks whose every ReLU stays
 * active over the ball are affine there, so CROWN's bound is exact in real arithmetic and equals
 * the true minimum F − r·‖g‖; with r set to the float64 distance to the decision boundary, that
 * minimum is 0 up to rounding. Every quantity is a dyadic rational, so "our lower bound ≤ the
 * exact minimum" is decided exactly (BigInt), with no tolerance.
 */

const f32 = Math.fround;

/** An MLP encoder with large positive biases (every ReLU active near the inputs used). */
function encoder(inDim: number, widths: number[], rng: Rng): EncoderNet {
  let n = inDim;
  const layers = widths.map((w) => {
    const op = {
      kind: 'dense' as const,
      in: { h: 1, w: 1, c: n },
      out: { h: 1, w: 1, c: w },
      weight: Float64Array.from({ length: w * n }, () => f32((0.2 * rng.normal()) / Math.sqrt(n))),
      bias: Float64Array.from({ length: w }, () => f32(20 + rng.next())),
    };
    n = w;
    return { ops: [op], activation: 'relu' as const };
  });
  return { input: { h: 1, w: 1, c: inDim }, layers };
}

/** Exact margin (label 0 against class 1) at x and its gradient per modality, in dyadic rationals. */
function exactAffine(model: BoundModel, x: Float64Array[]): { F: Dyadic; g: Dyadic[][] } {
  let F = sub(dyadic(model.bias[0]), dyadic(model.bias[1]));
  const g = model.encoders.map((net, m) => {
    const d = model.head[m].length / 2;
    let v = Array.from({ length: d }, (_, j) => sub(dyadic(model.head[m][j]), dyadic(model.head[m][d + j])));
    let a = Array.from(x[m], dyadic);
    for (const layer of net.layers) {
      const op = layer.ops[0] as Extract<EncoderNet['layers'][0]['ops'][0], { kind: 'dense' }>;
      const n = op.in.c;
      a = Array.from({ length: op.out.c }, (_, o) =>
        add(dot(Array.from(op.weight.subarray(o * n, (o + 1) * n), dyadic), a), dyadic(op.bias[o])),
      );
    }
    F = add(F, dot(v, a));
    for (const layer of [...net.layers].reverse()) {
      const op = layer.ops[0] as Extract<EncoderNet['layers'][0]['ops'][0], { kind: 'dense' }>;
      const n = op.in.c;
      v = Array.from({ length: n }, (_, j) =>
        v.reduce((s, vo, o) => add(s, mul(vo, dyadic(op.weight[o * n + j]))), ZERO),
      );
    }
    return v;
  });
  return { F, g };
}

/** Is `lower` ≤ F − r·√(Σ‖g‖²) exactly? (r ≥ 0: F − lower ≥ 0 and r²·Σ‖g‖² ≤ (F − lower)².) */
function belowExact(lower: number, F: Dyadic, g: Dyadic[], r: number): boolean {
  const d = sub(F, dyadic(lower));
  if (!lessOrEqual(ZERO, d)) return false;
  const rr = mul(dyadic(r), dyadic(r));
  return lessOrEqual(mul(rr, dot(g, g)), mul(d, d));
}

describe('float safety of the local bound', () => {
  it('the reported bound never exceeds the exact minimum, and without the slack it would', () => {
    const rng = createRng(8);
    let trials = 0;
    let wouldExceed = 0;
    let partTrials = 0;
    for (let seed = 0; seed < 3; seed++) {
      // A wide first layer (Gram form) and a narrow one (direct back-substitution).
      const model: BoundModel = {
        classes: 2,
        encoders: [encoder(24, [7, 5], rng), encoder(3, [6, 4], rng)],
        head: [5, 4].map((d) => Float64Array.from({ length: 2 * d }, () => f32(rng.normal()))),
        bias: Float64Array.of(f32(rng.normal()), f32(rng.normal())),
      };
      for (let p = 0; p < 40; p++) {
        const x0 = [24, 3].map((d) => Float64Array.from({ length: d }, () => f32(rng.normal())));
        for (const target of ['joint', 0, 1] as const) {
          const moving = target === 'joint' ? [0, 1] : [target];
          // Shift the head's bias so that the sample sits about 1e-3 from the decision boundary.
          const grad = exactAffine(model, x0).g.flatMap((gm, m) =>
            moving.includes(m) ? gm.map((v) => Number(v.n) * 2 ** v.e) : [],
          );
          const h0 = forwardLogits(model, x0);
          model.bias[0] = f32(model.bias[0] - (h0[0] - h0[1]) + 1e-3 * Math.hypot(...grad));
          const x = x0;
          const { F, g } = exactAffine(model, x);
          const h = forwardLogits(model, x);
          const gm = moving.flatMap((m) => g[m].map((v) => Number(v.n) * 2 ** v.e));
          const r = (h[0] - h[1]) / Math.hypot(...gm);
          // The affine regime: no neuron can switch inside the ball.
          moving.forEach((m) =>
            relaxEncoder(model.encoders[m], x[m], r).states.forEach((s) =>
              expect(Math.min(...s.lower)).toBeGreaterThan(0),
            ),
          );
          const b = marginLowerBounds(model, x, 0, r, target);
          const gExact = moving.flatMap((m) => g[m]);
          expect(belowExact(b.lower[0], F, gExact, r)).toBe(true);
          if (!belowExact(b.lower[0] + b.slack[0], F, gExact, r)) wouldExceed++;
          trials++;
          if (target === 'joint') {
            // The joint ball in parts (jointParts.ts): in the part that holds the ball's maximiser the
            // exact minimum is the same, reached through the part's own dual term.
            const shares = [0, 1].map((m) => shareBound(model, m, x[m], 0, r));
            const norms = [0, 1].map((m) => Math.hypot(...g[m].map((v) => Number(v.n) * 2 ** v.e)));
            const part = Math.min(3, Math.floor((Math.atan2(norms[0], norms[1]) / (Math.PI / 2)) * 4));
            const parted = jointPartMargins(model, shares, 0, r, partRadii(r, part, 4));
            expect(belowExact(parted.lower[0], F, gExact, r)).toBe(true);
            partTrials++;
          }
        }
      }
    }
    expect(trials).toBe(360);
    expect(partTrials).toBe(120);
    // The slack is not decoration: the bare float64 value lands above the exact minimum in some cases.
    expect(wouldExceed).toBeGreaterThan(0);
  });
});
