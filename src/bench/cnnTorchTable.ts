import type { BenchResults } from './benchTypes';
import { fmt, table } from './benchFormat';

/**
 * The CNN jt case of each backend against PyTorch training the same two-branch CNN (bench/
 * torch_reference.py with model "cnn"), on its default threads and on one thread. Empty when the
 * results have no PyTorch CNN run (written before it existed, or skipped).
 */
export function cnnTorchSection(r: BenchResults): string[] {
  const torch = r.torchCnn;
  if (!torch) return [];
  if (!torch.available) return ['', '## CNN against PyTorch', '', `No PyTorch CNN reference: ${torch.reason}`];
  const rows = r.backends.flatMap((b) => {
    const t = b.throughput.find((x) => x.model === 'cnn' && x.method === 'jt');
    if (!t || t.status !== 'ok') return [];
    const spread = t.repeats?.length
      ? `${fmt(Math.min(...t.repeats) / t.batchSize)}–${fmt(Math.max(...t.repeats) / t.batchSize)}`
      : '–';
    return [
      [
        b.env === 'node' ? 'Node' : 'browser worker',
        b.backend,
        `${fmt(t.stepsPerSecond)} (${spread})`,
        `${fmt(t.stepsPerSecond! / torch.stepsPerSecond)}×`,
        `${fmt(t.stepsPerSecond! / torch.singleThreadStepsPerSecond)}×`,
      ],
    ];
  });
  const spread = `${fmt(Math.min(...torch.repeats) / torch.batchSize)}–${fmt(Math.max(...torch.repeats) / torch.batchSize)}`;
  return [
    '',
    '## CNN against PyTorch',
    '',
    `The audio-visual CNN jt case (two branches of conv 3×3 → ReLU → 2×2 average pooling per filter count, ` +
      `dense, ReLU; batch ${torch.batchSize}, Adam) against PyTorch ${torch.version} training the same network ` +
      `on the CPU: ${fmt(torch.stepsPerSecond)} steps/s on ${torch.threads} thread${torch.threads === 1 ? '' : 's'} ` +
      `(repeats ${spread}), ${fmt(torch.singleThreadStepsPerSecond)} on one thread, ` +
      `${torch.opsPerStep === null ? 'op count unknown' : `${fmt(torch.opsPerStep)} top-level ops per step`}.`,
    '',
    table(['Where', 'Backend', 'Steps/s (repeats)', 'vs PyTorch', 'vs PyTorch, one thread'], rows),
  ];
}
