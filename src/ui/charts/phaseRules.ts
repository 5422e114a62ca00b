import { PHASE_LABEL, type EpochRecord } from '../../core/train/snapshot';
import type { Rule } from '../plot/Plot';

/** A rule where a run moves into a new phase (step 1 → step 2), so curves spanning phases read right. */
export function phaseRules(history: EpochRecord[]): Rule[] {
  const rules: Rule[] = [];
  for (let i = 1; i < history.length; i++)
    if (history[i].phase !== history[i - 1].phase)
      rules.push({ axis: 'x', at: history[i - 1].runEpoch + 0.5, label: PHASE_LABEL[history[i].phase].split(':')[0] });
  return rules;
}
