import { DEFAULT_CONFIG } from '../core/config';
import type { BackendResult, BenchResults, ModelKind, StepProfile } from './benchTypes';
import { fmt } from './benchFormat';
import { spread } from './stats';

interface Best {
  b: BackendResult;
  samplesPerSecond: number;
}

function fastest(backends: BackendResult[], model: ModelKind, env?: BackendResult['env']): Best | null {
  let best: Best | null = null;
  for (const b of backends) {
    if (b.status !== 'ok' || (env && b.env !== env)) continue;
    const t = b.throughput.find((x) => x.model === model && x.method === 'jt' && x.status === 'ok');
    if (t?.samplesPerSecond && (!best || t.samplesPerSecond > best.samplesPerSecond))
      best = { b, samplesPerSecond: t.samplesPerSecond };
  }
  return best;
}

/** Share of the profiled step spent outside kernels (dispatch, tape, allocation). */
export const outsideKernels = (p: StepProfile): number => Math.max(0, 1 - p.kernelMsPerStep / p.profiledWallMsPerStep);

const name = (x: Best) => `${x.b.backend} (${x.b.env === 'node' ? 'Node' : 'browser'})`;

/** A few sentences computed from the numbers, so the reading never disagrees with the tables. */
export function benchReading(r: BenchResults): string[] {
  const lines: string[] = [];
  const mlp = fastest(r.backends, 'mlp');
  const mlpBrowser = fastest(r.backends, 'mlp', 'browser');
  const cnn = fastest(r.backends, 'cnn');
  const cnnBrowser = fastest(r.backends, 'cnn', 'browser');
  const torch = r.torch.available ? r.torch : null;
  if (mlpBrowser)
    lines.push(
      `MLP, jt: the fastest browser backend is ${name(mlpBrowser)} at ${fmt(mlpBrowser.samplesPerSecond)} samples/s` +
        (mlp && mlp.b !== mlpBrowser.b ? `; overall ${name(mlp)} at ${fmt(mlp.samplesPerSecond)}` : '') +
        '.',
    );
  if (torch && mlp)
    lines.push(
      `PyTorch on the CPU trains the same MLP at ${fmt(torch.samplesPerSecond)} samples/s: the lab's best is ` +
        `${fmt(mlp.samplesPerSecond / torch.samplesPerSecond)}× of it` +
        (mlpBrowser ? `, the best browser backend ${fmt(mlpBrowser.samplesPerSecond / torch.samplesPerSecond)}×` : '') +
        '.',
    );
  else if (!torch) lines.push('No PyTorch reference: PyTorch was not available to this run.');
  if (torch?.interleaved) {
    const i = torch.interleaved;
    const s = spread(i.ratios);
    lines.push(
      `Taken in turns with PyTorch on one thread (${i.ratios.length} pairs), ${i.env === 'node' ? 'Node' : 'browser'} ` +
        `${i.backend} runs the MLP jt step at ${fmt(s.median)}× PyTorch's speed (median; IQR ${fmt(s.q1)}–${fmt(s.q3)}).`,
    );
  }
  if (cnnBrowser)
    lines.push(
      `CNN, jt: the fastest browser backend is ${name(cnnBrowser)} at ${fmt(cnnBrowser.samplesPerSecond)} samples/s` +
        (cnn && cnn.b !== cnnBrowser.b ? `; overall ${name(cnn)} at ${fmt(cnn.samplesPerSecond)}` : '') +
        '.',
    );
  const wasmProfile = r.backends
    .find((b) => b.env === 'node' && b.backend === 'wasm')
    ?.profile.find((p) => p.method === 'jt');
  if (wasmProfile) {
    const p = wasmProfile;
    const perKernel = (p.wallMsPerStep * 1000) / p.kernelsPerStep;
    lines.push(
      `Node WASM, MLP jt: a step runs ${fmt(p.kernelsPerStep)} kernels in ${fmt(p.wallMsPerStep)} ms ` +
        `(${fmt(perKernel)} µs per kernel, all costs included); under the profiler ` +
        `${fmt(outsideKernels(p) * 100)} % of the step is outside the kernels' own time.` +
        (torch?.opsPerStep
          ? ` PyTorch's step is ${fmt(torch.opsPerStep)} top-level ops in ${fmt(1000 / torch.stepsPerSecond)} ms ` +
            `(${fmt(1e6 / torch.stepsPerSecond / torch.opsPerStep)} µs per op): tfjs runs ` +
            `${fmt(p.kernelsPerStep / torch.opsPerStep)}× the operations, so the op count, not the cost of one op, ` +
            'is most of the gap.'
          : ''),
    );
  }
  const node = r.backends.find((b) => b.env === 'node' && b.backend === 'wasm');
  const [jt, crmt] = ['jt', 'crmt-jt'].map((m) => node?.profile.find((p) => p.method === m));
  if (jt && crmt)
    lines.push(
      `CRMT-JT's step runs ${fmt(crmt.kernelsPerStep / jt.kernelsPerStep)}× JT's kernels ` +
        `(${fmt(crmt.kernelsPerStep)} against ${fmt(jt.kernelsPerStep)}) and takes ${fmt(crmt.wallMsPerStep / jt.wallMsPerStep)}× ` +
        'as long on Node WASM: on backends with a fixed cost per kernel (WebGPU, WebGL) the kernel count is what matters.',
    );
  const mems = r.backends.flatMap((b) => b.memory.map((m) => ({ b, m })));
  const leaks = mems.filter(({ m }) => !m.flat);
  if (mems.length)
    lines.push(
      leaks.length
        ? `Memory is NOT flat on ${leaks.map(({ b, m }) => `${b.env} ${b.backend} ${m.method}`).join(', ')}.`
        : `Tensor count and bytes stay flat over ${mems[0].m.epochs} epochs on all ${mems.length} checked runs, and dispose frees everything.`,
    );
  const evals = r.backends.flatMap((b) => b.evaluation.map((e) => ({ b, e })));
  if (evals.length) {
    const cheapest = evals.reduce((a, x) => (x.e.pgdL2 < a.e.pgdL2 ? x : a));
    lines.push(
      `PGD-ℓ2 (${DEFAULT_CONFIG.attack.steps} steps) costs ${fmt(cheapest.e.pgdL2 / cheapest.e.clean)}× a clean pass on ${cheapest.b.env} ` +
        `${cheapest.b.backend} (${cheapest.e.method}), the cheapest: ${fmt(cheapest.e.pgdL2)} s per 1,000 samples.`,
    );
  }
  for (const f of r.firstEpoch)
    lines.push(
      `Page load to epoch 1 with backend "${f.choice}" (chip: ${f.backend}): ${fmt(f.firstEpoch)} s, of which ` +
        `${fmt(f.ready)} s until the lab is idle and ${fmt(f.clickToEpoch)} s from Start to epoch 1.`,
    );
  return lines;
}
