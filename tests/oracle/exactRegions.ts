/**
 * Exact minimum of a margin over a disk, for piecewise-linear networks whose moving input is 2-D:
 * every activation pattern fixes the network to an affine function on a polygon (its region), and
 * the minimum of an affine function over polygon ∩ disk lies at the disk's own minimiser, where a
 * polygon edge crosses the circle, or at a polygon vertex. Enumerating the patterns (2^neurons)
 * gives the exact minimum: an oracle independent of any relaxation.
 */
import { act, type PlainModel } from './crownPlain';

/** An affine function of the 2-D variable v: g·v + c. */
interface Affine {
  g: [number, number];
  c: number;
}

/**
 * min over ‖v‖ ≤ r of h_y − hₖ where the inputs are x₀ plus v placed by `place`: for the joint
 * ball of two 1-D modalities, place = [[0], [1]] (v₀ moves modality 0, v₁ modality 1); for a 2-D
 * modality m alone, place[m] = [0, 1] and the others []. ReLU and leaky ReLU only.
 */
export function exactMinMargin(
  model: PlainModel,
  x0: number[][],
  y: number,
  k: number,
  r: number,
  place: number[][],
): number {
  const inputs: Affine[][] = x0.map((xm, m) =>
    xm.map((v, j) => {
      const p = place[m][j];
      return { g: [p === 0 ? 1 : 0, p === 1 ? 1 : 0], c: v };
    }),
  );
  let best = Infinity;
  const walk = (m: number, s: number, a: Affine[], feats: Affine[][], cons: Affine[]) => {
    const layers = model.encoders[m];
    if (s === layers.length) {
      const next = [...feats, a];
      if (m + 1 < model.encoders.length) walk(m + 1, 0, inputs[m + 1], next, cons);
      else best = Math.min(best, minOverRegion(margin(model, next, y, k), cons, r));
      return;
    }
    const z = layers[s].W.map((row, o) =>
      row.reduce<Affine>(
        (acc, w, j) => ({ g: [acc.g[0] + w * a[j].g[0], acc.g[1] + w * a[j].g[1]], c: acc.c + w * a[j].c }),
        { g: [0, 0], c: layers[s].b[o] },
      ),
    );
    // A neuron whose sign cannot change on the disk keeps it; only the others are enumerated.
    const fixed = z.map((f) => {
      const spread = r * Math.hypot(f.g[0], f.g[1]);
      return f.c - spread >= 0 ? 1 : f.c + spread <= 0 ? 0 : -1;
    });
    const free = fixed.flatMap((v, i) => (v < 0 ? [i] : []));
    for (let pattern = 0; pattern < 2 ** free.length; pattern++) {
      const extra: Affine[] = [];
      const out = z.map((f, i) => {
        const bit = free.indexOf(i);
        const on = bit < 0 ? fixed[i] : (pattern >> bit) & 1;
        // Region: z ≥ 0 when on (−z ≤ 0), z ≤ 0 when off.
        if (bit >= 0) extra.push(on ? { g: [-f.g[0], -f.g[1]], c: -f.c } : f);
        const slope = on ? 1 : -act(layers[s].act, -1);
        return { g: [slope * f.g[0], slope * f.g[1]] as [number, number], c: slope * f.c };
      });
      const region = [...cons, ...extra];
      // Prune patterns whose region misses the disk (the zero function has no feasible candidate).
      if (extra.length > 0 && minOverRegion({ g: [0, 0], c: 0 }, region, r) === Infinity) continue;
      walk(m, s + 1, out, feats, region);
    }
  };
  walk(0, 0, inputs[0], [], []);
  return best;
}

function margin(model: PlainModel, feats: Affine[][], y: number, k: number): Affine {
  const f: Affine = { g: [0, 0], c: model.bias[y] - model.bias[k] };
  feats.forEach((phi, m) =>
    phi.forEach((a, j) => {
      const w = model.H[m][y][j] - model.H[m][k][j];
      f.g[0] += w * a.g[0];
      f.g[1] += w * a.g[1];
      f.c += w * a.c;
    }),
  );
  return f;
}

const TOL = 1e-9;

/** min of f over {‖v‖ ≤ r, every constraint ≤ 0}, or Infinity when that set is empty. */
function minOverRegion(f: Affine, cons: Affine[], r: number): number {
  const feasible = (v: [number, number]) =>
    Math.hypot(v[0], v[1]) <= r * (1 + TOL) + TOL &&
    cons.every((c) => c.g[0] * v[0] + c.g[1] * v[1] + c.c <= TOL * (1 + Math.abs(c.c) + Math.hypot(...c.g)));
  const candidates: [number, number][] = [[0, 0]];
  const gn = Math.hypot(f.g[0], f.g[1]);
  if (gn > 0) candidates.push([(-r * f.g[0]) / gn, (-r * f.g[1]) / gn]);
  for (const c of cons) {
    // Line g·v + c = 0 against the circle ‖v‖ = r: foot of the perpendicular ± along the line.
    const n2 = c.g[0] ** 2 + c.g[1] ** 2;
    if (n2 === 0) continue;
    const foot: [number, number] = [(-c.c * c.g[0]) / n2, (-c.c * c.g[1]) / n2];
    const d2 = r * r - (c.c * c.c) / n2;
    if (d2 < 0) continue;
    const t = Math.sqrt(d2 / n2);
    candidates.push([foot[0] + t * c.g[1], foot[1] - t * c.g[0]], [foot[0] - t * c.g[1], foot[1] + t * c.g[0]]);
  }
  for (let i = 0; i < cons.length; i++)
    for (let j = i + 1; j < cons.length; j++) {
      const [a, b] = [cons[i], cons[j]];
      const det = a.g[0] * b.g[1] - a.g[1] * b.g[0];
      if (Math.abs(det) < 1e-14) continue;
      candidates.push([(-a.c * b.g[1] + b.c * a.g[1]) / det, (-a.g[0] * b.c + b.g[0] * a.c) / det]);
    }
  let best = Infinity;
  for (const v of candidates) if (feasible(v)) best = Math.min(best, f.g[0] * v[0] + f.g[1] * v[1] + f.c);
  return best;
}
