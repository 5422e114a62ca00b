import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/core/config';
import {
  BUDGET_TOLERANCE,
  describeLocalBoundSetting,
  localBoundOptions,
} from '../../src/core/robust/localBound/localBoundSetting';

describe('localBoundOptions (attack.localBoundBranching, attack.localBoundBudget)', () => {
  it('leaves the bound as it is by default', () => {
    expect(localBoundOptions(DEFAULT_CONFIG.attack)).toEqual({ branching: 0 });
  });

  it('gives depth-first branching its depth when there is no budget', () => {
    expect(localBoundOptions({ localBoundBranching: 3, localBoundBudget: 0 })).toEqual({ branching: 3 });
  });

  it('turns a budget into the thorough setting, with the branching depth as its limit when one is set', () => {
    const thorough = {
      branchingBudget: 64,
      branchNearFrontier: true,
      branchingReuse: true,
      tolerance: BUDGET_TOLERANCE,
    };
    expect(localBoundOptions({ localBoundBranching: 0, localBoundBudget: 64 })).toEqual({ branching: 64, ...thorough });
    expect(localBoundOptions({ localBoundBranching: 5, localBoundBudget: 64 })).toEqual({ branching: 5, ...thorough });
  });

  it('says the setting in words, and nothing for the default', () => {
    expect(describeLocalBoundSetting(DEFAULT_CONFIG.attack)).toBe('');
    expect(describeLocalBoundSetting({ localBoundBranching: 3, localBoundBudget: 0 })).toBe('branch and bound 3 deep');
    expect(describeLocalBoundSetting({ localBoundBranching: 0, localBoundBudget: 64 })).toBe(
      'branch and bound under a budget of 64 evaluations',
    );
    expect(describeLocalBoundSetting({ localBoundBranching: 5, localBoundBudget: 64 })).toBe(
      'branch and bound under a budget of 64 evaluations, at most 5 deep',
    );
  });
});
