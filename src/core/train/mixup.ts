import type { Rng } from '../random';

/** Marsaglia–Tsang gamma sampler (shape ≥ 1; boosted for shape < 1). */
function gamma(shape: number, rng: Rng): number {
  if (shape < 1) return gamma(shape + 1, rng) * Math.pow(1 - rng.next(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const x = rng.normal();
    const v = (1 + c * x) ** 3;
    if (v <= 0) continue;
    const u = 1 - rng.next();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}

/** λ ~ Beta(α, α), the mixup coefficient, drawn once per batch. */
export function sampleBeta(alpha: number, rng: Rng): number {
  const x = gamma(alpha, rng);
  const y = gamma(alpha, rng);
  return x / (x + y);
}
