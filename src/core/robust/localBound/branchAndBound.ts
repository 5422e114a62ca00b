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
 * next. Fails when a leaf that cannot be split fails or when `budget` evaluations (the root
 * included) are spent with subdomains still open; certified when the queue empties. With an
 * unlimited budget it decides exactly as depthFirst does (the same tree: each subdomain's bound
 * depends only on its splits and its parent), only in another order.
 */
export function bestFirst(evaluate: EvaluateSubdomain, root: NeuronSplit[][], budget: number): boolean {
  const first = evaluate(root, 0);
  if (first.certified) return true;
  if (!first.split) return false;
  let spent = 1;
  const open: { s: Subdomain; splits: NeuronSplit[][]; depth: number }[] = [{ s: first, splits: root, depth: 0 }];
  while (open.length > 0) {
    let at = 0;
    for (let i = 1; i < open.length; i++) if (open[i].s.worst < open[at].s.worst) at = i;
    const { s, splits, depth } = open.splice(at, 1)[0];
    const next = s.split!;
    for (const side of [1, -1] as const) {
      if (spent >= budget) return false;
      spent++;
      const c = child(splits, next.pick, side);
      const sc = evaluate(c, depth + 1, next.parent);
      if (sc.certified) continue;
      // A leaf that fails and cannot be split fails the ball: no need to look at the rest.
      if (!sc.split) return false;
      open.push({ s: sc, splits: c, depth: depth + 1 });
    }
  }
  return true;
}
