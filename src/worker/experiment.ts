import type { ExperimentConfig } from '../core/config';
import { builtinDataset, defaultModalities } from '../core/data/builtin/builtin';
import type { Dataset } from '../core/data/dataset';
import { DataError } from '../core/data/dataError';
import { selectModalities } from '../core/data/modalities';
import { standardised } from '../core/data/prepare';
import { applyStandardisation, type Standardisation } from '../core/data/standardise';
import { exportModel } from '../core/io/exportModel';
import type { MultiModalModel } from '../core/model/model';
import { Trainer } from '../core/train/trainer';
import type { ResultOf } from './protocol';
import { resumeTrainer, type Resume } from './runs/resumeRun';

/** What `prepare` built and `adopt` installs: nothing of the current experiment is touched in between. */
export type Prepared = {
  source: Dataset;
  config: ExperimentConfig;
  /** The selected modalities before standardisation, as the page's summary shows them. */
  selected: Dataset;
  data: Dataset;
  stats: Standardisation;
  trainer: Trainer;
};

/** An exported model to start from instead of fresh weights, with its own standardisation. */
export type Imported = { model: MultiModalModel; stats: Standardisation; resume?: Resume };

/**
 * The experiment a session has on display: its source dataset (generated or uploaded), the
 * modalities in use, their standardised data and the trainer. A replacement is built whole before
 * it is adopted, so a failure leaves the current one as it was.
 */
export class Experiment {
  config: ExperimentConfig | null = null;
  source: Dataset | null = null;
  /** The last accepted upload, kept while a built-in dataset is shown so the user can switch back. */
  uploaded: Dataset | null = null;
  data: Dataset | null = null;
  stats: Standardisation | null = null;
  trainer: Trainer | null = null;

  /** Everything that can fail: a trainer for `config` on `source` (or on an imported model). */
  prepare(source: Dataset, config: ExperimentConfig, imported?: Imported): Prepared {
    const names = config.modalities.length ? config.modalities : defaultModalities(source);
    const selected = selectModalities(source, names);
    const { data, stats } = imported
      ? { data: applyStandardisation(selected, imported.stats), stats: imported.stats }
      : standardised(selected);
    const trainer = new Trainer(data, config, imported?.model);
    if (imported?.resume)
      try {
        resumeTrainer(trainer, imported.resume);
      } catch (e) {
        trainer.dispose();
        throw e;
      }
    return { source, config: { ...config, modalities: names }, selected, data, stats, trainer };
  }

  /** The prepared experiment replaces the current one, whose tensors go. */
  adopt(next: Prepared): void {
    this.trainer?.dispose();
    this.source = next.source;
    this.config = next.config;
    this.data = next.data;
    this.stats = next.stats;
    this.trainer = next.trainer;
  }

  /** Fresh weights for the same experiment. */
  rebuild(): Trainer {
    if (!this.config || !this.data) throw new Error('No experiment is loaded.');
    this.trainer?.dispose();
    return (this.trainer = new Trainer(this.data, this.config));
  }

  modalityNames(): string[] {
    return this.data?.modalities.map((m) => m.name) ?? [];
  }

  /** The dataset an experiment config names: regenerated if built in, the kept upload if it is that one. */
  sourceFor(config: ExperimentConfig): { source: Dataset; config: ExperimentConfig } {
    if (config.data.kind !== 'upload') return { source: builtinDataset(config.data), config };
    if (this.uploaded && this.uploaded.name === config.data.uploadName) return { source: this.uploaded, config };
    throw new DataError(
      `this run was trained on the uploaded dataset "${config.data.uploadName ?? '?'}", which is not loaded now; upload it again, then open the run`,
    );
  }

  /** The model's files as Export writes them; null when no model is loaded. */
  async exportFiles(): Promise<ResultOf<'export'> | null> {
    if (!this.trainer || !this.data || !this.stats || !this.config) return null;
    const d = this.data;
    const files = await exportModel(this.trainer.model, {
      dataset: d.name,
      modalities: d.modalities,
      classes: d.classNames,
      experiment: this.config,
      standardisation: this.stats,
    });
    return { name: `${d.name}-${this.config.train.method}-seed${this.config.train.seed}`, files };
  }
}
