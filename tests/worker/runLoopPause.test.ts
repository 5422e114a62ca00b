import { describe, expect, it } from 'vitest';
import type { Progress, Snapshot } from '../../src/core/train/snapshot';
import type { Trainer, TrainerPosition } from '../../src/core/train/trainer';
import type { Experiment } from '../../src/worker/experiment';
import { ModelLock } from '../../src/worker/modelLock';
import type { SessionEvent } from '../../src/worker/protocol';
import { RunLoop } from '../../src/worker/runLoop';

/**
 * A trainer whose chunks end when the test says: its steps are taken at once (as the real one's
 * are), and what follows them (a read-back, or an epoch's evaluation) lasts until `finish()`.
 */
function fakeRun(epochSteps: number) {
  const position: TrainerPosition = { phaseIndex: 0, epoch: 0, step: 0, stepInEpoch: 0, epochSteps };
  let finish: (() => void) | null = null;
  const progress = (): Progress => ({
    phase: 'train',
    phaseIndex: 0,
    phases: 1,
    epoch: position.epoch,
    epochs: 100,
    step: position.step,
    totalSteps: 100 * epochSteps,
    samplesPerSecond: 1,
    stepsPerSecond: 1,
    loss: 1,
  });
  const trainer = {
    plan: [{ phase: 'train', epochs: 100 }],
    isFinished: false,
    splits: { val: { n: 0 } },
    get position() {
      return { ...position };
    },
    advance(steps: number): Promise<Snapshot> {
      const ran = Math.min(steps, epochSteps - position.stepInEpoch);
      position.step += ran;
      position.stepInEpoch += ran;
      const endsEpoch = position.stepInEpoch === epochSteps;
      if (endsEpoch) [position.epoch, position.stepInEpoch] = [position.epoch + 1, 0];
      return new Promise((resolve) => {
        finish = () =>
          resolve(
            endsEpoch
              ? ({ kind: 'epoch', progress: progress(), record: { phase: 'train' } } as unknown as Snapshot)
              : { kind: 'progress', progress: progress() },
          );
      });
    },
  } as unknown as Trainer;
  const experiment = {
    trainer,
    config: { train: { progressEvery: 1 } },
    exportFiles: async () => null,
    rebuild: () => undefined,
    modalityNames: () => [],
  } as unknown as Experiment;
  const events: SessionEvent[] = [];
  const loop = new RunLoop(
    (e) => events.push(e),
    experiment,
    new ModelLock(),
    (start) => start(),
  );
  const started = async () => {
    for (let i = 0; i < 100 && !finish; i++) await new Promise((r) => setTimeout(r, 0));
    expect(finish).not.toBeNull();
  };
  const states = () => events.filter((e) => e.type === 'state' || e.type === 'snapshot').map(label);
  return {
    loop,
    events,
    states,
    started,
    finish: () => {
      const f = finish!;
      finish = null;
      f();
    },
  };
}

const label = (e: SessionEvent) =>
  e.type === 'state'
    ? `${e.state}${e.at ? ` at step ${e.at.step}, epoch ${e.at.epoch}` : ''}`
    : e.type === 'snapshot'
      ? `${e.snapshot.kind} step ${e.snapshot.progress.step}`
      : e.type;

describe('Pause while a chunk runs', () => {
  it('is confirmed at once when the chunk ends an epoch (its evaluation takes long), with where it will stand', async () => {
    const run = fakeRun(1);
    const training = run.loop.train();
    await run.started();
    run.loop.pause();
    // Before the epoch's evaluation ends: "paused", at the chunk's end.
    expect(run.states()).toEqual(['training', 'paused at step 1, epoch 1']);
    run.finish();
    await training;
    // Its snapshot follows, the same position; no step starts after the pause.
    expect(run.states()).toEqual(['training', 'paused at step 1, epoch 1', 'epoch step 1', 'paused']);
    expect(run.loop.current).toBe('paused');
  });

  it('waits for a chunk within an epoch to end, so its snapshot comes before "paused"', async () => {
    const run = fakeRun(4);
    const training = run.loop.train();
    await run.started();
    run.loop.pause();
    expect(run.states()).toEqual(['training']);
    run.finish();
    await training;
    expect(run.states()).toEqual(['training', 'progress step 1', 'paused']);
  });

  it('a Resume while a Step runs trains on: the step does not say "paused" after it', async () => {
    const run = fakeRun(4);
    const stepped = run.loop.step();
    await run.started();
    const resumed = run.loop.train();
    run.finish();
    await stepped;
    await run.started();
    expect(run.loop.current).toBe('training');
    expect(run.states()).toEqual(['training', 'progress step 1']);
    run.loop.pause();
    run.finish();
    await resumed;
    expect(run.states()).toEqual(['training', 'progress step 1', 'progress step 2', 'paused']);
  });
});
