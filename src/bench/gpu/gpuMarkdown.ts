import { describeTimings } from '../../core/backend/fastestBackend';
import { fmt, table } from '../benchFormat';
import type { BackendResult, ModelKind, ThroughputRow } from '../benchTypes';
import type { GpuCheckResult } from './gpuCheckTypes';

export const HOW_TO_MEASURE =
  'To measure one: `npm run gpu-check:prepare` here (assembles the git-ignored .gpu-check/, about 36 MiB: ' +
  'Node, the bundled check, Dawn and the Vulkan loader), then on a Linux x86-64 machine with a GPU, from the ' +
  'repository root, `bash .gpu-check/run.sh` (no network or Node needed there; with the device tool: carry ' +
  '`.gpu-check`; under 5 minutes), then `npm run gpu-check:record -- <the gpu-check.json it wrote>` here, ' +
  'which writes the numbers into bench/results.json and this page.';

const rate = (t: ThroughputRow | undefined) =>
  !t ? 'not measured' : t.status === 'ok' ? `${fmt(t.stepsPerSecond)} steps/s` : (t.reason ?? t.status);

const spread = (t: ThroughputRow | undefined) =>
  t?.status === 'ok' && t.repeats?.length
    ? `${t.stepsPerRepeat} × ${t.repeats.length} (${fmt(Math.min(...t.repeats) / t.batchSize)}–${fmt(Math.max(...t.repeats) / t.batchSize)})`
    : '–';

const find = (b: BackendResult | undefined, model: ModelKind, method: string) =>
  b?.throughput.find((t) => t.model === model && t.method === method);

/** "3.1× wasm, 40× cpu": how many times faster WebGPU trained a case than the other backends. */
function ratios(gpu: GpuCheckResult, model: ModelKind, method: string): string {
  const webgpu = find(
    gpu.backends.find((b) => b.backend === 'webgpu'),
    model,
    method,
  );
  if (webgpu?.status !== 'ok') return '–';
  const parts = gpu.backends
    .filter((b) => b.backend !== 'webgpu')
    .flatMap((b) => {
      const t = find(b, model, method);
      return t?.status === 'ok' ? [`${fmt(webgpu.stepsPerSecond! / t.stepsPerSecond!)}× ${b.backend}`] : [];
    });
  return parts.join(', ') || '–';
}

/** The real-GPU section of docs/BENCHMARKS.md: the recorded check, or plainly that none exists yet. */
export function gpuSection(gpu: GpuCheckResult | undefined): string[] {
  const out = ['', '## Real GPU (WebGPU through Dawn in Node)', ''];
  if (!gpu || !gpu.adapter.found)
    return [
      ...out,
      'No real-GPU number exists yet: WebGPU has only been measured on software adapters (SwiftShader, ' +
        "which runs on this machine's CPU), which say nothing about a GPU.",
      '',
      HOW_TO_MEASURE,
    ];
  const cases = gpu.plan.models.flatMap((model) => gpu.plan.methods.map((method) => ({ model, method })));
  const head = cases.map((c) => `${c.model.toUpperCase()} ${c.method}`);
  const batch = gpu.backends.flatMap((b) => b.throughput)[0]?.batchSize;
  out.push(
    `Measured by \`bash .gpu-check/run.sh\` on ${gpu.generatedAt} (bundle from commit ${gpu.commit}), ` +
      'recorded with `npm run gpu-check:record`.',
    '',
    table(
      ['', ''],
      [
        ['WebGPU adapter', gpu.adapter.text],
        ['GPU (nvidia-smi)', gpu.hostGpu ?? 'not reported'],
        ['CPU', `${gpu.machine.cpuModel}, ${gpu.machine.cores} cores, ${fmt(gpu.machine.ramGiB)} GiB`],
        [
          'Software',
          `Node ${gpu.machine.node}, tfjs ${gpu.machine.tfjs}, Dawn (npm ${gpu.dawn.package} ${gpu.dawn.version})`,
        ],
        ...(gpu.tfFlags
          ? [
              [
                'tfjs flags set',
                Object.entries(gpu.tfFlags)
                  .map(([k, v]) => `${k}=${String(v)}`)
                  .join(', '),
              ],
            ]
          : []),
      ],
    ),
    '',
    `Training steps per second, median of the repeats after ${find(gpu.backends[0], 'mlp', 'jt')?.warmupSteps ?? 2} ` +
      `warm-up steps, batch ${batch ?? '–'}, the lab's seed: the same cases and code as the tables above, in Node.`,
    '',
    table(
      ['Backend', ...head],
      gpu.backends.map((b) => [
        b.backend,
        ...cases.map((c) => (b.status === 'ok' ? rate(find(b, c.model, c.method)) : `${b.status}: ${b.reason}`)),
      ]),
    ),
    '',
    'Steps per repeat × repeats (slowest–fastest repeat, steps/s), and WebGPU against the others:',
    '',
    table(
      ['', ...head],
      [
        ...gpu.backends.map((b) => [b.backend, ...cases.map((c) => spread(find(b, c.model, c.method)))]),
        ['WebGPU is', ...cases.map((c) => ratios(gpu, c.model, c.method))],
      ],
    ),
    '',
    `Training loss step by step from the same seeded start, against the ${gpu.parity[0]?.reference ?? 'cpu'} ` +
      `backend (bar: ${gpu.parityTolerance}):`,
    '',
    table(
      ['Case', 'Backend', 'Steps', 'Largest |Δ loss|', `Within ${gpu.parityTolerance}`],
      gpu.parity.map((p) => [
        `${p.model.toUpperCase()} ${p.method}`,
        p.backend,
        String(p.steps),
        p.status === 'ok' ? p.maxAbsDiff!.toExponential(1) : `${p.status}: ${p.reason}`,
        p.status === 'ok' ? (p.maxAbsDiff! <= gpu.parityTolerance ? 'yes' : '**no**') : '–',
      ]),
    ),
  );
  if (gpu.autoPicks?.length)
    out.push(
      '',
      `What the lab's own backend choice (auto: the page's selection code and timing budget, method ` +
        `${gpu.autoPicks[0].method}) picks on this machine, and the rates it measured:`,
      '',
      table(
        ['Model', 'auto picks', 'Timed'],
        gpu.autoPicks.map((p) => [
          p.model.toUpperCase(),
          p.backend ?? `nothing: ${p.reason}`,
          p.timings.length ? describeTimings(p.timings) : '–',
        ]),
      ),
    );
  const problems = [...gpu.errors, ...gpu.backends.flatMap((b) => b.errors.map((e) => `${b.backend}: ${e}`))];
  if (problems.length) out.push('', ...problems.map((p) => `- ${p}`));
  out.push(
    '',
    `The check took ${fmt(gpu.wallSeconds)} s. ${HOW_TO_MEASURE.replace('To measure one', 'To measure again')}`,
  );
  return out;
}
