import type { BranchPick } from './branchingScore';
import type { NeuronSplit } from './encoderRelaxation';

/**
 * Branch and bound over one ball (docs/LOCAL-BOUND.md §2): a subdomain the bound does not certify
 * is split on one unstable neuron, z ≥ 0 and z ≤ 0, and the ball counts as certified when every
 * leaf is. Two orders over the same tree: depth-limited depth-first (the lab's `branching: D`),
 * and best-first under a budget of subdomain evaluations (complete verifiers' BaB), which spends
 * its evaluations where the bound is worst and gives up as soon as the budget is spent.
 */

/** What a child inherits: the rows its parent certified and the parent's slopes (warm start). */
export interface ParentState {
  certified: boolean[];
  slopes: Float64Array[][];
}

/** One subdomain's bound: certified, or failing with its worst row's bound and, if it may be split, where. */
export interface Subdomain {
  certified: boolean;
  /** The lowest lower bound among the rows not certified (−∞ … 0); the best-first priority. */
  worst: number;
  split?: { pick: BranchPick; parent: ParentState };
}

/** Bounds the subdomain given by `splits` (per moving encoder) at `depth`; splittable only below the depth limit. */
export type EvaluateSubdomain = (splits: NeuronSplit[][], depth: number, parent?: ParentState) => Subdomain;

const child = (splits: NeuronSplit[][], { encoder, layer, neuron }: BranchPick, side: 1 | -1) =>
  splits.map((sp, i) => (i === encoder ? [...sp, { layer, neuron, side }] : sp));

/** Depth-first: both sides of every failing subdomain, the z ≥ 0 side first, stopping at the first leaf that fails. */
export function depthFirst(evaluate: EvaluateSubdomain, root: NeuronSplit[][]): boolean {
  const visit = (splits: NeuronSplit[][], depth: number, parent?: ParentState): boolean => {
    const s = evaluate(splits, depth, parent);
    if (s.certified) return true;
    const next = s.split;
    if (!next) return false;
    return ([1, -1] as const).every((side) => visit(child(splits, next.pick, side), depth + 1, next.parent));
  };
  return visit(root, 0);
}

/**
 * Best-first: the open subdomains wait in a queue by their worst bound, and the worst is split
 * next. Fails when a leaf that cannot be split fails or when the open subdomains need more than
 * what is left of `budget` evaluations, at least two each; certified when the queue empties. With
 * an unlimited budget and one root it decides exactly as depthFirst does (the same tree: each
 * subdomain's bound depends only on its splits and its parent), only in another order.
 *
 * `roots` is a cover of the ball: the leaves of any tree of splits (every point of the ball lies on
 * one side of every split), e.g. the cover an earlier radius ended with; [no splits] for the ball.
 * Returns, besides the decision, the cover it ended with (certified leaves, open and unevaluated ones).
 */
export function bestFirst(
  evaluate: EvaluateSubdomain,
  roots: NeuronSplit[][][],
  budget: number,
): { certified: boolean; cover: NeuronSplit[][][] } {
  const depthOf = (splits: NeuronSplit[][]) => splits.reduce((n, sp) => n + sp.length, 0);
  const leaves: NeuronSplit[][][] = [];
  const open: { s: Subdomain; splits: NeuronSplit[][]; depth: number }[] = [];
  const fail = (pending: NeuronSplit[][][]) => ({
    certified: false,
    cover: [...leaves, ...open.map((o) => o.splits), ...pending],
  });
  let spent = 0;
  // A leaf that fails and cannot be split fails the ball: no need to look at the rest.
  const visit = (splits: NeuronSplit[][], depth: number, parent?: ParentState): boolean => {
    spent++;
    const sc = evaluate(splits, depth, parent);
    if (sc.certified) leaves.push(splits);
    else if (sc.split) open.push({ s: sc, splits, depth });
    return sc.certified || sc.split !== undefined;
  };
  for (let i = 0; i < roots.length; i++) {
    if (spent + (roots.length - i) + 2 * open.length > budget) return fail(roots.slice(i));
    if (!visit(roots[i], depthOf(roots[i]))) return fail([roots[i], ...roots.slice(i + 1)]);
  }
  while (open.length > 0) {
    // Each open subdomain needs at least its two children: past that, the budget cannot certify the ball.
    if (2 * open.length > budget - spent) return fail([]);
    let at = 0;
    for (let i = 1; i < open.length; i++) if (open[i].s.worst < open[at].s.worst) at = i;
    const { s, splits, depth } = open.splice(at, 1)[0];
    const next = s.split!;
    const [up, down] = ([1, -1] as const).map((side) => child(splits, next.pick, side));
    if (!visit(up, depth + 1, next.parent)) return fail([up, down]);
    if (!visit(down, depth + 1, next.parent)) return fail([down]);
  }
  return { certified: true, cover: leaves };
}
