import type { BranchingScore } from '../../core/robust/localBound/branchingScore';
import type { LocalBoundSetting } from '../../core/robust/localBound/localBoundSetting';
import type { LocalRadiusOptions } from '../../core/robust/localBound/localRadius';
import { DEFAULT_SLOPE_SEARCH } from '../../core/robust/localBound/slopeOptimisation';
import { STRONG_ATTACK } from '../perSampleAttack';

/** The flags of localBoundTightness.ts (its header lists them). */

export function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

/**
 * The lab's own settings of the bound (attack.localBoundBranching, attack.localBoundBudget), by their
 * CLI flags, mapped as the CLI and the page map them (localBoundSetting.ts).
 */
export const LAB_SETTING: LocalBoundSetting = {
  localBoundBranching: Number(arg('local-bound-branching', '0')),
  localBoundBudget: Number(arg('local-bound-budget', '0')),
};

/** The bound's settings under trial, over the lab's (none: the lab's settings as they are). */
export const BOUND_OPTIONS: LocalRadiusOptions = {
  ...(process.argv.includes('--slope-iterations') || process.argv.includes('--learning-rate')
    ? {
        slopeSearch: {
          iterations: Number(arg('slope-iterations', String(DEFAULT_SLOPE_SEARCH.iterations))),
          learningRate: Number(arg('learning-rate', String(DEFAULT_SLOPE_SEARCH.learningRate))),
        },
      }
    : {}),
  ...(process.argv.includes('--intermediate-slopes') ? { intermediateSlopes: true } : {}),
  ...(process.argv.includes('--branching') ? { branching: Number(arg('branching', '0')) } : {}),
  ...(process.argv.includes('--no-split-multipliers') ? { splitMultipliers: false } : {}),
  ...(process.argv.includes('--joint-parts') ? { jointParts: Number(arg('joint-parts', '1')) } : {}),
  ...(process.argv.includes('--branching-budget') ? { branchingBudget: Number(arg('branching-budget', '0')) } : {}),
  ...(process.argv.includes('--branching-reuse') ? { branchingReuse: true } : {}),
  ...(process.argv.includes('--branch-near-frontier') ? { branchNearFrontier: true } : {}),
  ...(process.argv.includes('--tolerance') ? { tolerance: Number(arg('tolerance', '0.001')) } : {}),
  ...(process.argv.includes('--branching-score')
    ? { branchingScore: arg('branching-score', '') as BranchingScore }
    : {}),
};

/** The first-flip attack (the reference): STRONG_ATTACK unless --attack-steps/--attack-restarts/--attack-step-size say otherwise. */
export const FLIP_ATTACK = {
  ...STRONG_ATTACK,
  steps: Number(arg('attack-steps', String(STRONG_ATTACK.steps))),
  restarts: Number(arg('attack-restarts', String(STRONG_ATTACK.restarts))),
  stepSize: Number(arg('attack-step-size', String(STRONG_ATTACK.stepSize))),
};
/** --min-norm N: also N steps of the minimum-norm attack from the PGD first flip; the nearer of the two counts. */
export const MIN_NORM_STEPS = Number(arg('min-norm', '0'));
/** Bisection tolerance of the first-flip distance. */
export const FLIP_TOLERANCE = Number(arg('flip-tolerance', '0.02'));
/** --certify-at F: also the share of samples the bound certifies at (first-flip distance)/F, evaluated directly. */
export const CERTIFY_AT = process.argv.includes('--certify-at') ? Number(arg('certify-at', '1.5')) : 0;

/** The first-flip attack differs from the lab's reference (then --write-doc refuses, like for BOUND_OPTIONS). */
export const ATTACK_CHANGED =
  FLIP_TOLERANCE !== 0.02 ||
  MIN_NORM_STEPS > 0 ||
  (['steps', 'restarts', 'stepSize'] as const).some((k) => FLIP_ATTACK[k] !== STRONG_ATTACK[k]);
