import { evaluateEpoch } from '../core/robust/epochEvaluation';
import type { EpochRecord } from '../core/train/snapshot';
import { evaluateSplit, type Trainer } from '../core/train/trainer';

/**
 * A loaded model as it stands, on the data on display, in the shape of an epoch record (epoch 0:
 * no epoch of this session made it), so the metric cards and every chart that needs no training
 * history can show it: the same functions as after a trained epoch.
 */
export async function evaluateModel(t: Trainer): Promise<EpochRecord> {
  const as = t.model.head.integration();
  return {
    epoch: 0,
    runEpoch: 0,
    phase: 'train',
    train: await evaluateSplit(t.model, t.splits.train),
    val: await evaluateSplit(t.model, t.splits.val),
    integration: as ? await Promise.all(as.map(async (a) => Array.from(await a.data()))) : null,
    evaluation:
      t.splits.val.n > 0 ? await evaluateEpoch(t.model, t.splits.val.x, t.splits.val.y, t.splits.train.x) : null,
  };
}
