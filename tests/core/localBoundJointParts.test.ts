import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/random';
import { partMaximiser, partRadii } from '../../src/core/robust/localBound/jointParts';

/**
 * The joint ball in parts (jointParts.ts): the parts cover the ball, so certifying every part
 * certifies it; and the dual term of a part is its exact maximum, never below (a lower bound on the
 * margin) and not looser than needed.
 */
describe('the joint ball in parts', () => {
  const rng = createRng(7);

  it('every point of the ball (‖δ⁰‖, ‖δ^rest‖) lies in some part, for any part count', () => {
    for (const n of [1, 2, 3, 8, 16])
      for (let i = 0; i < 2000; i++) {
        const r = 0.01 + 10 * rng.next();
        // Points on the sphere (the hardest) and inside it, and the part boundaries themselves.
        const angle = i % 3 === 0 ? (Math.PI / 2) * (Math.floor(rng.next() * (n + 1)) / n) : (Math.PI / 2) * rng.next();
        const len = i % 2 === 0 ? r : r * Math.sqrt(rng.next());
        const [t0, t1] = [len * Math.sin(angle), len * Math.cos(angle)];
        const covered = Array.from({ length: n }, (_, p) => partRadii(r, p, n)).some(
          ([a, b]) => t0 <= a && t1 <= b && a <= r && b <= r,
        );
        expect(covered, `n ${n}, r ${r}, (${t0}, ${t1})`).toBe(true);
      }
  });

  it('a part is smaller than the ball: each modality side at most r, the two together less than the box r × r', () => {
    const [a, b] = partRadii(2, 1, 4);
    expect(a).toBeLessThan(2);
    expect(b).toBeLessThan(2);
  });

  it('partMaximiser attains the largest t₀·n₀ + t₁·n₁ over the part (dense search), inside the part', () => {
    for (let i = 0; i < 400; i++) {
      const r = 0.1 + 5 * rng.next();
      const n = 2 + Math.floor(8 * rng.next());
      const rho = partRadii(r, Math.floor(rng.next() * n), n);
      const [n0, n1] = [rng.next() * 3, i % 10 === 0 ? 0 : rng.next() * 3];
      const [t0, t1] = partMaximiser(n0, n1, rho, r);
      expect(t0).toBeLessThanOrEqual(rho[0]);
      expect(t1).toBeLessThanOrEqual(rho[1]);
      expect(t0 * t0 + t1 * t1).toBeLessThanOrEqual(r * r * (1 + 1e-12));
      let best = 0;
      // The part's upper-right frontier: the arc, clamped to the box where it leaves it.
      // The kinks, where the arc meets an edge, explicitly: the grid would pass them by.
      const kinks = [Math.asin(Math.min(1, rho[0] / r)), Math.acos(Math.min(1, rho[1] / r))];
      for (const phi of [...kinks, ...Array.from({ length: 20001 }, (_, k) => (Math.PI / 2) * (k / 20000))]) {
        best = Math.max(best, Math.min(rho[0], r * Math.sin(phi)) * n0 + Math.min(rho[1], r * Math.cos(phi)) * n1);
      }
      const value = t0 * n0 + t1 * n1;
      expect(value).toBeGreaterThanOrEqual(best * (1 - 1e-12));
      expect(value).toBeLessThanOrEqual(best * (1 + 1e-7) + 1e-12);
    }
  });
});
