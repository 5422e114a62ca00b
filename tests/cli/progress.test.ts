import { describe, expect, it } from 'vitest';
import { formatSeconds, ProgressReporter, secondsLeft } from '../../src/cli/progress';
import type { Progress, Snapshot } from '../../src/core/train/snapshot';

const progress = (step: number, totalSteps: number, epoch: number, epochs = 10): Progress => ({
  phase: 'train',
  phaseIndex: 0,
  phases: 1,
  epoch,
  epochs,
  step,
  totalSteps,
  samplesPerSecond: 0,
  stepsPerSecond: 0,
  loss: 0.5,
});

function reporter() {
  const lines: string[] = [];
  let t = 0;
  const r = new ProgressReporter(
    'jt',
    (l) => lines.push(l),
    () => t,
    2000,
  );
  return { r, lines, at: (ms: number) => (t = ms) };
}

describe('CLI progress', () => {
  it('formats durations and extrapolates the time left at the rate so far', () => {
    expect(formatSeconds(3.21)).toBe('3.2 s');
    expect(formatSeconds(42.4)).toBe('42 s');
    expect(formatSeconds(75)).toBe('1 min 15 s');
    expect(formatSeconds(Infinity)).toBe('?');
    expect(secondsLeft(25, 100, 10)).toBe(30);
    expect(secondsLeft(0, 100, 10)).toBe(Infinity);
  });

  it('shows training progress with the time left, at most every 2 s and always at the last epoch', () => {
    const { r, lines, at } = reporter();
    at(4000);
    r.snapshot({ kind: 'progress', progress: progress(20, 100, 1) });
    at(5000);
    r.snapshot({ kind: 'progress', progress: progress(25, 100, 2) }); // within 2 s: not shown
    at(8000);
    const last = { kind: 'epoch', progress: progress(100, 100, 10), record: { epoch: 10, val: { accuracy: 0.9 } } };
    r.snapshot(last as unknown as Snapshot);
    expect(lines).toEqual([
      '[jt] training epoch 2/10 · loss 0.5000 · 4.0 s, ~16 s left',
      '[jt] training epoch 10/10 · loss 0.5000 · val acc 90.0% · 8.0 s, ~0.0 s left',
    ]);
  });

  it('shows the evaluation (certification, attacks) with the time left from its own start', () => {
    const { r, lines, at } = reporter();
    at(10_000);
    r.evaluation({ what: 'start', done: 0, total: 40 });
    at(13_000);
    r.evaluation({ what: 'certification', done: 10, total: 40 });
    at(14_000);
    r.evaluation({ what: 'fgm on A at ε = 0.1', done: 11, total: 40 });
    at(19_000);
    r.evaluation({ what: 'missing modality', done: 40, total: 40 });
    expect(lines).toEqual([
      '[jt] evaluating: certification done (25%) · 3.0 s, ~9.0 s left',
      '[jt] evaluating: missing modality done (100%) · 9.0 s, ~0.0 s left',
    ]);
  });
});
