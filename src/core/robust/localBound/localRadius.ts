import type { BoundModel } from './boundNetwork';
import { largestIntercept, mostUncertain, type BranchingScore } from './branchingScore';
import { UNIT_ROUNDOFF } from './floatSlack';
import { marginProblem, type AffineBound } from './encoderBound';
import type { Block } from './linearOps';
import { bestFirst, depthFirst, type EvaluateSubdomain } from './branchAndBound';
import { bisect, searchAbove } from './radiusSearch';
import { relaxEncoder, type NeuronSplit } from './encoderRelaxation';
import {
  competitors,
  jointMargins,
  jointPartMargins,
  shareBound,
  shareRows,
  singleMargins,
  withRowRounding,
  type BoundTarget,
} from './marginBound';
import { partRadii, partScales } from './jointParts';
import { DEFAULT_SLOPE_SEARCH, searchSlopes, type SlopeSearch } from './slopeOptimisation';

/**
 * The largest radius the local bound certifies, per sample, by bisection (docs/LOCAL-BOUND.md).
 * A radius r is certified when every margin's lower bound over the ball is > 0; the returned
 * radius is always one at which that held (or the global sound radius, when given), never a
 * bracket's midpoint guess.
 */

export interface LocalRadiusOptions {
  /**
   * Relative precision: bisection stops once hi ≤ lo·(1 + tolerance), lo certified and hi not.
   * Default 1e-3 (about 10 evaluations from a factor-2 bracket).
   */
  tolerance?: number;
  /**
   * The global sound pair constants cᵐ_{y,k} (lipschitz.ts certifiedConstants(model).pair). When
   * given, each margin's lower bound is the better of the local one and the global one
   * (margin − r·√Σₘ(cᵐ_{y,k})², or margin − r·cᵐ_{y,k} for one modality), so the local radius is
   * never below the global one computed from the same margins, and the bisection starts there.
   */
  globalPair?: Float64Array[];
  /** Slope optimisation of the margin rows (α-CROWN); default DEFAULT_SLOPE_SEARCH, iterations 0 for plain CROWN. */
  slopeSearch?: SlopeSearch;
  /** Also optimise the slopes behind every dense layer's pre-activation bounds (full α-CROWN; costlier). */
  intermediateSlopes?: boolean;
  /**
   * Branch and bound: a radius the bound does not certify is tried again split on the most
   * uncertain unstable neuron (both sides must certify), up to this many splits deep. 0 (default): off.
   */
  branching?: number;
  /** β-CROWN: each split's constraint enters the margin rows' bound through a multiplier optimised with the slopes; default true. */
  splitMultipliers?: boolean;
  /**
   * Joint target: the ball is covered by this many parts, by the angle θ = asin(‖δ⁰‖/r) of modality
   * 0's share of the budget; in part p modality 0 is relaxed over radius r·sin θ_{p+1} and the
   * others over r·cos θ_p, and a radius the whole ball does not certify is certified when every part
   * is. Default DEFAULT_JOINT_PARTS; 1: the whole ball only.
   */
  jointParts?: number;
  /**
   * Best-first branch and bound (branchAndBound.ts): the open subdomain with the worst bound is split
   * next, `branching` still the depth limit, and a ball fails once this many subdomain evaluations
   * are spent on it at one radius. With joint parts, only the parts branch. 0 (default): depth-first,
   * every failing subdomain down to `branching`.
   */
  branchingBudget?: number;
  /**
   * With a budget: each radius's search starts from the subdomains (the cover of the ball) the last
   * search of the same ball ended with, at whatever radius, instead of from the whole ball. Default false.
   */
  branchingReuse?: boolean;
  /**
   * Bisect with the bound alone first, then search above that radius with branching (r₀·(1 + s), s
   * doubling from 1/32, then bisection): branching runs only near the frontier. Default false.
   */
  branchNearFrontier?: boolean;
  /** Which neuron branching splits (branchingScore.ts); default 'intercept' (tighter than 'uncertain' at the same depth and cost). */
  branchingScore?: BranchingScore;
}

export interface SampleRadii {
  /** Every centre margin is positive (the float64 model classifies the sample correctly). */
  correct: boolean;
  joint: number;
  perModality: number[];
  /** Bound evaluations spent on this sample, over all targets (each is one back-substitution per moving encoder). */
  evaluations: number;
}

const DEFAULT_TOLERANCE = 1e-3;
/**
 * Parts of the joint ball: on optdigits (10 samples) 8 parts take the joint attack/local ratio from
 * 1.97 to 1.74 (geometric mean 1.78 → 1.59) for 2.4× the evaluations of a sample (16: 1.70 for 4.4×;
 * docs/LOCAL-BOUND.md §8, 2026-11-30).
 */
export const DEFAULT_JOINT_PARTS = 8;

/** Joint and per-modality local radii of one sample (x per modality, label y). */
export function localRadiiOfSample(
  model: BoundModel,
  x: Float64Array[],
  y: number,
  options: LocalRadiusOptions = {},
): SampleRadii {
  const M = model.encoders.length;
  const s = sampleCentre(model, x, y);
  const none = { correct: s.correct, joint: 0, perModality: new Array<number>(M).fill(0), evaluations: 1 };
  if (!s.certifiedAtCentre) return none;
  const joint = targetRadius(s, 'joint', options);
  const perModality = Array.from({ length: M }, (_, m) => targetRadius(s, m, options));
  return {
    correct: s.correct,
    joint: joint.radius,
    perModality: perModality.map((p) => p.radius),
    evaluations: 1 + joint.evaluations + perModality.reduce((a, p) => a + p.evaluations, 0),
  };
}

/** One target's radius on its own. */
export function localRadius(
  model: BoundModel,
  x: Float64Array[],
  y: number,
  target: BoundTarget,
  options: LocalRadiusOptions = {},
): number {
  const s = sampleCentre(model, x, y);
  return s.certifiedAtCentre ? targetRadius(s, target, options).radius : 0;
}

/** What every target of a sample shares: the shares at ρ = 0 and the margins' lower bounds there. */
interface SampleCentre {
  model: BoundModel;
  x: Float64Array[];
  y: number;
  centre: AffineBound[];
  /** Lower bound on each centre margin h_y − hₖ. */
  margins: Float64Array;
  correct: boolean;
  certifiedAtCentre: boolean;
}

function sampleCentre(model: BoundModel, x: Float64Array[], y: number): SampleCentre {
  const centre = x.map((xm, m) => shareBound(model, m, xm, y, 0));
  const b = singleMargins(model, 0, centre[0], centre, y, 0);
  return {
    model,
    x,
    y,
    centre,
    margins: b.lower,
    correct: b.lower.every((v, i) => v + b.slack[i] > 0),
    certifiedAtCentre: b.lower.every((v) => v > 0),
  };
}

/** Whether the bound certifies radius r for one target of one sample (branching included). */
export function certifiedAt(
  model: BoundModel,
  x: Float64Array[],
  y: number,
  target: BoundTarget,
  r: number,
  options: LocalRadiusOptions = {},
): boolean {
  const s = sampleCentre(model, x, y);
  return s.certifiedAtCentre && (r <= 0 || certifier(s, target, options).certified(r));
}

function targetRadius(
  s: SampleCentre,
  target: BoundTarget,
  options: LocalRadiusOptions,
): { radius: number; evaluations: number } {
  const c = certifier(s, target, options);
  const tolerance = options.tolerance ?? DEFAULT_TOLERANCE;
  if (options.branchNearFrontier && (options.branching ?? 0) > 0) {
    const r0 = bisect((r) => c.certified(r, false), c.globalRadius, c.guess, tolerance);
    return { radius: searchAbove(c.certified, r0, tolerance), evaluations: c.evaluations() };
  }
  const radius = bisect(c.certified, c.globalRadius, c.guess, tolerance);
  return { radius, evaluations: c.evaluations() };
}

/** The certification test of one target at any radius (warm-starting its slopes from the last call), and where to start looking. */
function certifier(s: SampleCentre, target: BoundTarget, options: LocalRadiusOptions) {
  const { model, x, y, centre, margins } = s;
  const slopes = options.globalPair && globalConstants(options.globalPair, model.classes, y, target);
  let evaluations = 0;
  const moving = target === 'joint' ? x.map((_, m) => m) : [target];
  const rows = moving.map((m) => shareRows(model, m, y));
  const search = options.slopeSearch ?? DEFAULT_SLOPE_SEARCH;
  const intermediate = options.intermediateSlopes ? search : undefined;
  const warm: (Float64Array[][] | undefined)[] = [];
  const partCount = target === 'joint' && x.length > 1 ? Math.max(1, options.jointParts ?? DEFAULT_JOINT_PARTS) : 1;
  const noSplits = () => moving.map((): NeuronSplit[] => []);
  let lastFailed = Math.floor(partCount / 2);
  const maxDepth = options.branching ?? 0;
  /**
   * One subdomain of the ball at radius r (part −1: the whole ball), split by `splits`. `parent`:
   * on a branch, the rows its parent certified (the parent's bound holds on the whole ball, so on
   * this part of it too) and the parent's slopes, the children's warm start.
   */
  const subdomain =
    (r: number, part: number, depthLimit: number): EvaluateSubdomain =>
    (splits, depth, parent) => {
      evaluations++;
      const rho: [number, number] = part < 0 ? [r, r] : partRadii(r, part, partCount);
      const radiusOf = (i: number) => rho[i === 0 ? 0 : 1];
      const encoders = moving.map((m, i) =>
        relaxEncoder(model.encoders[m], x[m], radiusOf(i), intermediate, splits[i]),
      );
      if (encoders.some((e) => e.empty)) return { certified: true, worst: 0 };
      const problems = encoders.map((e, i) =>
        marginProblem(e, rows[i], model.classes - 1, options.splitMultipliers === false ? undefined : splits[i]),
      );
      const combine = (bounds: AffineBound[]) => {
        const b = bounds.map((bound, i) => withRowRounding(model, moving[i], y, bound));
        const dualNorm = Float64Array.from(b[0].norm, (_, i) => Math.hypot(...b.map((bound) => bound.norm[i])));
        if (part >= 0)
          return { ...jointPartMargins(model, b, y, r, rho), dualNorm, radius: r, scales: partScales(b, rho, r) };
        const lower =
          target === 'joint'
            ? jointMargins(model, b, y, r).lower
            : singleMargins(model, target, b[0], centre, y, r).lower;
        return { lower, dualNorm, radius: r };
      };
      const done = Array.from(
        margins,
        (v, i) => (slopes !== undefined && v - r * slopes[i] > 0) || (parent?.certified[i] ?? false),
      );
      const found = searchSlopes(problems, model.classes - 1, combine, done, search, parent?.slopes ?? warm[part + 1]);
      if (depth === 0) warm[part + 1] = found.slopes;
      const certifiedHere = Array.from(found.best, (v, i) => v > 0 || done[i]);
      const worst = Math.min(...found.best.filter((_, i) => !certifiedHere[i]));
      if (certifiedHere.every(Boolean)) return { certified: true, worst: 0 };
      if (depth >= depthLimit) return { certified: false, worst };
      let pick = mostUncertain(encoders);
      if (options.branchingScore !== 'uncertain') {
        const traces = problems.map((p, i) => {
          const trace: Block[] = [];
          p.bound({ slopes: found.slopes[i], trace });
          return trace;
        });
        pick = largestIntercept(
          encoders,
          traces,
          certifiedHere.map((c) => !c),
        );
      }
      if (!pick) return { certified: false, worst };
      return { certified: false, worst, split: { pick, parent: { certified: certifiedHere, slopes: found.slopes } } };
    };
  const budget = options.branchingBudget ?? 0;
  // Per ball (part + 1): the cover of subdomains the last branched search ended with.
  const covers: NeuronSplit[][][][] = [];
  const certifiedIn = (r: number, part: number, branch: boolean): boolean => {
    const evaluate = subdomain(r, part, branch ? maxDepth : 0);
    if (budget <= 0) return depthFirst(evaluate, noSplits());
    const reuse = branch && options.branchingReuse === true;
    // A cover past half the budget would leave too little to split it further: start again from the ball.
    const cover = reuse ? covers[part + 1] : undefined;
    const found = bestFirst(evaluate, cover && cover.length <= budget / 2 ? cover : [noSplits()], budget);
    if (reuse) covers[part + 1] = found.cover;
    return found.certified;
  };
  /**
   * The whole ball first; when it fails, its parts (each relaxed tighter, but not always better),
   * the one that failed last first: near the frontier it is usually the one that fails again.
   * Best-first (a budget) branches in the parts only when there are parts: they need fewer splits.
   */
  const certified = (r: number, branch = true): boolean => {
    if (certifiedIn(r, -1, branch && (budget === 0 || partCount === 1))) return true;
    if (partCount === 1) return false;
    const order = [lastFailed, ...Array.from({ length: partCount }, (_, p) => p).filter((p) => p !== lastFailed)];
    const failed = order.find((p) => !certifiedIn(r, p, branch));
    if (failed === undefined) return true;
    lastFailed = failed;
    return false;
  };
  // First guess: the linearised distance min_k margin_k / ‖∇ margin_k‖ at the centre.
  const gradientNorm = (i: number) =>
    target === 'joint' ? Math.hypot(...centre.map((c) => c.norm[i])) : centre[target].norm[i];
  return {
    certified,
    evaluations: () => evaluations,
    guess: Math.min(...Array.from(margins, (v, i) => v / gradientNorm(i))),
    globalRadius: slopes ? Math.min(...Array.from(margins, (v, i) => v / slopes[i])) : 0,
  };
}

/**
 * √Σₘ (cᵐ_{y,k})² (joint) or cᵐ_{y,k} per competitor, rounded up so that margin − r·c stays a
 * lower bound when computed in float64.
 */
function globalConstants(pair: Float64Array[], K: number, y: number, target: BoundTarget): Float64Array {
  return Float64Array.from(competitors(K, y), (k) => {
    const c = target === 'joint' ? Math.hypot(...pair.map((p) => p[y * K + k])) : pair[target][y * K + k];
    return c * (1 + 16 * UNIT_ROUNDOFF);
  });
}
