import { describe, expect, it } from 'vitest';
import { ACTIVATIONS, LEAKY_RELU_SLOPE } from '../../src/core/model/activationNames';
import { createRng } from '../../src/core/random';
import { gridSize, type Grid, type LinearOp } from '../../src/core/robust/localBound/boundNetwork';
import {
  backOp,
  boxSize,
  forwardOp,
  magnitudeOp,
  type Block,
  type Box,
} from '../../src/core/robust/localBound/linearOps';
import { activationValue, relaxLayer } from '../../src/core/robust/localBound/relaxation';

/** Intervals of every kind: stable either side, crossing 0 either way, tiny, a point, wide. */
function intervals(): [number, number][] {
  const rng = createRng(1);
  const out: [number, number][] = [
    [0.5, 2],
    [-3, -0.2],
    [-1, 4],
    [-4, 1],
    [-1, 1],
    [0, 3],
    [-2, 0],
    [0.7, 0.7],
    [-0.3, -0.3 + 1e-12],
    [-60, 45],
    [2, 40],
    [-1e-7, 2e-7],
  ];
  for (let i = 0; i < 200; i++) {
    const a = 4 * rng.normal();
    const b = a + Math.abs(3 * rng.normal()) * rng.next() ** 3;
    out.push([a, b]);
  }
  return out;
}

describe('activation relaxations (docs/LOCAL-BOUND.md, "Relaxations")', () => {
  for (const a of ACTIVATIONS)
    it(`${a}: kLo·z + tLo ≤ σ(z) ≤ kUp·z + tUp on the whole interval, evaluated in float64`, () => {
      const iv = intervals();
      const r = relaxLayer(
        a,
        Float64Array.from(iv, (p) => p[0]),
        Float64Array.from(iv, (p) => p[1]),
      );
      iv.forEach(([l, u], i) => {
        const points = Array.from({ length: 2001 }, (_, j) => l + ((u - l) * j) / 2000);
        if (l < 0 && u > 0) points.push(0);
        for (const k of [r.kLo[i], r.kUp[i]])
          if (a === 'tanh' && k > 0 && k < 1) {
            const z = Math.atanh(Math.sqrt(1 - k));
            points.push(...[z, -z].filter((p) => p > l && p < u));
          }
        let gapLo = Infinity;
        let gapUp = Infinity;
        for (const z of points) {
          const s = activationValue(a, z);
          gapLo = Math.min(gapLo, s - (r.kLo[i] * z + r.tLo[i]));
          gapUp = Math.min(gapUp, r.kUp[i] * z + r.tUp[i] - s);
        }
        // Valid: neither line crosses σ (with no tolerance: the intercepts' own rounding is covered).
        expect(gapLo).toBeGreaterThanOrEqual(0);
        expect(gapUp).toBeGreaterThanOrEqual(0);
        // Tight: each line touches σ somewhere on the interval (up to the grid and the slack).
        const touch = 1e-6 * (1 + Math.abs(l) + Math.abs(u));
        expect(gapLo).toBeLessThan(touch);
        expect(gapUp).toBeLessThan(touch);
        expect(r.kLo[i]).toBeGreaterThanOrEqual(0);
        expect(r.kUp[i]).toBeLessThanOrEqual(1);
      });
    });

  it("ReLU and leaky ReLU: CROWN's slopes, exact lines where the neuron is stable", () => {
    for (const a of ['relu', 'leakyRelu'] as const) {
      const alpha = a === 'relu' ? 0 : LEAKY_RELU_SLOPE;
      const l = Float64Array.of(1, -3, -1, -3, -2);
      const u = Float64Array.of(2, -1, 3, 1, 2);
      const r = relaxLayer(a, l, u);
      expect([r.kLo[0], r.kUp[0], r.tLo[0], r.tUp[0]]).toEqual([1, 1, 0, 0]);
      expect([r.kLo[1], r.kUp[1], r.tLo[1], r.tUp[1]]).toEqual([alpha, alpha, 0, 0]);
      for (const i of [2, 3, 4]) {
        expect(r.kUp[i]).toBeCloseTo((u[i] - alpha * l[i]) / (u[i] - l[i]), 15);
        // The chord through (l, σ(l)) and (u, u), rounded outward by a few ulps.
        expect(r.tUp[i]).toBeCloseTo(u[i] - r.kUp[i] * u[i], 14);
        expect(r.tUp[i]).toBeGreaterThanOrEqual(u[i] - r.kUp[i] * u[i]);
        expect(r.kLo[i]).toBe(u[i] >= -l[i] ? 1 : alpha);
        expect(r.tLo[i]).toBe(0);
      }
    }
  });
});

function randomOp(kind: LinearOp['kind'], rng: ReturnType<typeof createRng>): LinearOp {
  const g: Grid = { h: 5, w: 7, c: 3 };
  const rand = (n: number) => Float64Array.from({ length: n }, () => rng.normal());
  if (kind === 'dense') return { kind, in: g, out: { h: 1, w: 1, c: 6 }, weight: rand(6 * 105), bias: rand(6) };
  if (kind === 'conv3x3') return { kind, in: g, out: { ...g, c: 4 }, kernel: rand(9 * 3 * 4), bias: rand(4) };
  return { kind, in: g, out: { h: 2, w: 3, c: 3 } };
}

describe('linear operators on windows of rows', () => {
  for (const kind of ['dense', 'conv3x3', 'avgPool2'] as const)
    it(`${kind}: backward is the adjoint of forward, ⟨Λ·A, a⟩ = ⟨Λ, A·a⟩, and |A|·v + |b| bounds |A·a + b|`, () => {
      const rng = createRng(2);
      const op = randomOp(kind, rng);
      const out = op.out;
      const boxes: Box[] =
        kind === 'dense'
          ? [{ y: 0, x: 0, h: 1, w: 1 }]
          : [
              { y: 0, x: 0, h: out.h, w: out.w },
              { y: 1, x: 1, h: 1, w: 2 },
              { y: out.h - 1, x: out.w - 1, h: 1, w: 1 },
            ];
      for (const box of boxes) {
        const rows = 3;
        const blk: Block = {
          rows,
          grid: out,
          box,
          lambda: Float64Array.from({ length: rows * boxSize(box, out) }, () => rng.normal()),
        };
        const back = backOp(op, blk);
        const a = Float64Array.from({ length: gridSize(op.in) }, () => rng.normal());
        const zero = new Float64Array(gridSize(op.in));
        const z = forwardOp(op, a).map((v, i) => v - forwardOp(op, zero)[i]);
        for (let r = 0; r < rows; r++) {
          const dot = (b: Block, v: Float64Array) => {
            let s = 0;
            const size = boxSize(b.box, b.grid);
            for (let by = 0; by < b.box.h; by++)
              for (let bx = 0; bx < b.box.w; bx++)
                for (let ch = 0; ch < b.grid.c; ch++)
                  s +=
                    b.lambda[r * size + (by * b.box.w + bx) * b.grid.c + ch] *
                    v[((b.box.y + by) * b.grid.w + b.box.x + bx) * b.grid.c + ch];
            return s;
          };
          expect(dot(back, a)).toBeCloseTo(dot(blk, z), 10);
        }
        const v = Float64Array.from(a, Math.abs);
        const m = magnitudeOp(op, v);
        forwardOp(op, a).forEach((zi, i) => expect(Math.abs(zi)).toBeLessThanOrEqual(m[i] * (1 + 1e-15)));
      }
    });
});
