import type { AttackSettings } from '../../config';
import type { LocalRadiusOptions } from './localRadius';

/** The lab's settings of the local bound, as every surface (CLI, page, report) sets them. */
export type LocalBoundSetting = Pick<AttackSettings, 'localBoundBranching' | 'localBoundBudget'>;

/** The default: the bound alone. */
export const NO_BRANCHING: LocalBoundSetting = { localBoundBranching: 0, localBoundBudget: 0 };

/** Just the bound's setting, out of the attack settings (so that views carry no more than it). */
export const localBoundSettingOf = (a: LocalBoundSetting): LocalBoundSetting => ({
  localBoundBranching: a.localBoundBranching,
  localBoundBudget: a.localBoundBudget,
});

/**
 * The bisection's relative tolerance with a budget. Branching first runs above the bound's own
 * radius, so 1 % costs under 1 % of radius and halves the evaluations spent at radii that fail
 * (docs/LOCAL-BOUND.md §8, budget 32 on optdigits: 1020 → 601 evaluations per sample).
 */
export const BUDGET_TOLERANCE = 0.01;

/**
 * localRadius's options for the lab's settings. A budget B turns on the setting docs/LOCAL-BOUND.md
 * §8 found cheapest for its tightness: best-first branch and bound under B evaluations per ball and
 * radius, searched only above the unbranched radius, each search starting from the last cover of the
 * ball, bisection to 1 %. The depth limit is then `localBoundBranching`, or none short of the
 * budget's own (B/2 splits) when that is 0.
 */
export function localBoundOptions(s: LocalBoundSetting): LocalRadiusOptions {
  if (s.localBoundBudget <= 0) return { branching: s.localBoundBranching };
  return {
    branching: s.localBoundBranching > 0 ? s.localBoundBranching : s.localBoundBudget,
    branchingBudget: s.localBoundBudget,
    branchNearFrontier: true,
    branchingReuse: true,
    tolerance: BUDGET_TOLERANCE,
  };
}

/** The setting in words for every surface that shows local radii; '' for the default bound. */
export function describeLocalBoundSetting(s: LocalBoundSetting): string {
  if (s.localBoundBudget > 0)
    return (
      `branch and bound under a budget of ${s.localBoundBudget} evaluations` +
      (s.localBoundBranching > 0 ? `, at most ${s.localBoundBranching} deep` : '')
    );
  return s.localBoundBranching > 0 ? `branch and bound ${s.localBoundBranching} deep` : '';
}
