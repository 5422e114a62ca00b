import * as tf from '@tensorflow/tfjs-core';
import type { TrainSettings } from '../config';
import type { MultiModalModel } from '../model/model';
import { certifiedAccuracy, certifiedRadius } from '../robust/certify';
import { soundConstants } from '../robust/lipschitz';
import { collectOutputs } from '../robust/modelOutputs';
import { PHASE_LABEL, type EpochRecord, type Phase, type Selection } from './snapshot';

/** A fall in validation accuracy from the phase's best that the page and the CLI report. */
export const OVERFIT_DROP = 0.05;

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

/**
 * Model selection within one phase, on the validation split (never the test split): keeps a copy
 * of the trained variables at the best epoch by the criterion, stops the phase after `patience`
 * epochs without improvement, restores the kept epoch at the end, and says when validation
 * accuracy falls by more than OVERFIT_DROP from its best (with the branch that overfits, if one does).
 */
export class PhaseSelection {
  private best: { value: number; record: EpochRecord; weights: tf.Tensor[] } | null = null;
  private bestAccuracy: { value: number; epoch: number } | null = null;
  private bestBranch: number[] = [];
  private warned = false;

  constructor(
    private readonly phase: Phase,
    private readonly settings: TrainSettings,
    /** The variables the phase trains (the model's, the teachers', or step 2's integration weights). */
    private readonly variables: tf.Variable[],
    private readonly modalities: string[],
  ) {}

  get criterion(): TrainSettings['selection'] {
    return this.settings.selection;
  }

  /** After each epoch of the phase: whether to stop now, and a warning to show, if any. */
  async observe(
    record: EpochRecord,
    model: MultiModalModel,
    val: { x: tf.Tensor2D[]; y: tf.Tensor1D },
  ): Promise<{ stop: boolean; warning: string | null }> {
    const warning = this.overfitting(record);
    if (this.criterion === 'last') return { stop: false, warning };
    const value = await this.score(record, model, val);
    if (!this.best || value > this.best.value) {
      this.best?.weights.forEach((w) => w.dispose());
      this.best = { value, record, weights: this.variables.map((v) => tf.clone(v)) };
    }
    const patience = this.settings.patience;
    const stop = patience !== null && record.epoch - this.best.record.epoch >= patience;
    return { stop, warning };
  }

  /** The end of the phase: the kept epoch's weights back in place; null when the last epoch is kept. */
  finish(lastEpoch: EpochRecord, stoppedEarly: boolean): Selection | null {
    if (!this.best) return null;
    const kept = this.best;
    this.variables.forEach((v, i) => v.assign(kept.weights[i]));
    this.dispose();
    return {
      phase: this.phase,
      criterion: this.criterion as Selection['criterion'],
      value: kept.value,
      epoch: kept.record.epoch,
      runEpoch: kept.record.runEpoch,
      lastEpoch: lastEpoch.epoch,
      stoppedEarly,
    };
  }

  dispose(): void {
    this.best?.weights.forEach((w) => w.dispose());
    this.best = null;
  }

  private async score(
    record: EpochRecord,
    model: MultiModalModel,
    val: { x: tf.Tensor2D[]; y: tf.Tensor1D },
  ): Promise<number> {
    if (this.criterion === 'val-accuracy' || this.phase === 'teachers') return record.val.accuracy;
    if (this.criterion === 'val-loss') return -record.val.loss;
    // Sound certified accuracy at the chosen ε: a guarantee, so a robust model is not chosen on luck.
    const outputs = await collectOutputs(model, val.x);
    const labels = new Int32Array(await val.y.data());
    const radii = certifiedRadius(outputs.logits, labels, (await soundConstants(model)).pair, outputs.K);
    return certifiedAccuracy(radii.joint, [this.settings.selectionEps])[0];
  }

  private overfitting(r: EpochRecord): string | null {
    const acc = r.val.accuracy;
    if (!Number.isFinite(acc)) return null;
    r.val.branchAccuracy.forEach((b, m) => (this.bestBranch[m] = Math.max(this.bestBranch[m] ?? -Infinity, b)));
    if (!this.bestAccuracy || acc > this.bestAccuracy.value) this.bestAccuracy = { value: acc, epoch: r.epoch };
    const top = this.bestAccuracy;
    if (this.warned || acc > top.value - OVERFIT_DROP) return null;
    this.warned = true;
    const drops = r.val.branchAccuracy.map((b, m) => this.bestBranch[m] - b);
    const worst = drops.indexOf(Math.max(...drops));
    const culprit =
      drops[worst] >= OVERFIT_DROP
        ? ` modality ${this.modalities[worst]} overfits (its branch: validation ${pct(this.bestBranch[worst])} → ` +
          `${pct(r.val.branchAccuracy[worst])}, training ${pct(r.train.branchAccuracy[worst])});`
        : '';
    const kept =
      this.criterion === 'last'
        ? 'the last epoch will be kept (selection: last)'
        : `the best epoch by ${this.criterion} is kept`;
    return (
      `${PHASE_LABEL[this.phase]} is overfitting: validation accuracy ${pct(top.value)} (epoch ${top.epoch}) → ` +
      `${pct(acc)} (epoch ${r.epoch});${culprit} ${kept}. Try a lower learning rate or fewer epochs.`
    );
  }
}
