import type { ExperimentConfig } from '../core/config';
import { splitIndices, type Dataset } from '../core/data/dataset';
import { prepareDataset } from '../core/data/prepare';
import { Trainer } from '../core/train/trainer';
import type { DatasetSummary, RunState, WorkerEvent } from './protocol';
import { yieldToEventLoop } from './yieldToEventLoop';

/** One experiment in the worker: its data, its trainer and the start/pause/step/reset state machine. */
export class TrainingSession {
  private config: ExperimentConfig | null = null;
  private data: Dataset | null = null;
  private trainer: Trainer | null = null;
  private state: RunState = 'idle';
  private pauseRequested = false;

  constructor(private readonly post: (e: WorkerEvent) => void) {}

  load(config: ExperimentConfig): void {
    this.stopAndDispose();
    this.config = config;
    this.data = prepareDataset(config).data;
    this.trainer = new Trainer(this.data, config);
    this.post({
      type: 'loaded',
      dataset: summarise(this.data),
      stepsPerEpoch: this.trainer.stepsPerEpoch,
      plan: this.trainer.plan,
    });
    this.setState('idle');
  }

  async train(): Promise<void> {
    if (this.state === 'training') return;
    if (!this.trainer || this.trainer.isFinished) this.rebuild();
    const trainer = this.trainer!;
    this.pauseRequested = false;
    this.setState('training');
    while (!this.pauseRequested && !trainer.isFinished) {
      const snapshot = await trainer.advance(this.config!.train.progressEvery);
      if (trainer !== this.trainer) return; // reset or reload while awaiting
      this.post({ type: 'snapshot', snapshot });
      if (snapshot.kind === 'diverged') return this.setState('diverged');
      await yieldToEventLoop();
    }
    if (trainer !== this.trainer) return;
    this.setState(trainer.isFinished ? 'done' : 'paused');
  }

  pause(): void {
    if (this.state === 'training') this.pauseRequested = true;
  }

  async step(): Promise<void> {
    if (this.state === 'training') return;
    if (!this.trainer || this.trainer.isFinished) this.rebuild();
    const snapshot = await this.trainer!.advance(1);
    this.post({ type: 'snapshot', snapshot });
    this.setState(snapshot.kind === 'diverged' ? 'diverged' : this.trainer!.isFinished ? 'done' : 'paused');
  }

  reset(): void {
    this.rebuild();
    this.setState('idle');
  }

  private rebuild(): void {
    if (!this.config || !this.data) throw new Error('No experiment is loaded.');
    this.stopAndDispose();
    this.trainer = new Trainer(this.data, this.config);
    this.post({ type: 'fresh' });
  }

  private stopAndDispose(): void {
    this.pauseRequested = true;
    this.trainer?.dispose();
    this.trainer = null;
  }

  private setState(state: RunState): void {
    this.state = state;
    this.post({ type: 'state', state });
  }
}

function summarise(d: Dataset): DatasetSummary {
  return {
    name: d.name,
    modalities: d.modalities.map((m) => ({ name: m.name, shape: m.shape })),
    classes: d.classNames,
    counts: {
      train: splitIndices(d, 'train').length,
      val: splitIndices(d, 'val').length,
      test: splitIndices(d, 'test').length,
    },
  };
}
