import { GPU_PLAN } from '../gpu/gpuPlan';
import type { BenchPlan } from '../benchTypes';
import { benchBrowserBackends, benchPageConfig, buildAndServe, launchChromium } from './benchBrowser';
import { ROOT } from './benchFiles';
import { commandLine, oneOf } from '../../cli/commandLine';
import { runMain } from '../../cli/usageError';
import { BACKENDS } from '../../core/backend/backendNames';

/**
 * The bench's browser-worker throughput for one backend and model only, repeated in fresh workers,
 * without writing bench/results.json: a quick before/after check of a change to the training step.
 */
const USAGE = `Usage: tsx src/bench/node/browserSpeedProbe.ts [--backend wasm] [--model cnn] [--method jt] [--runs 3]

One JSON line per run (a fresh worker each): the bench's training-throughput row for that case.
Builds the bench page into a temporary folder and serves it on BENCH_PORT (default 4182).
  -h, --help   print this help and exit`;

async function main(): Promise<void> {
  const cl = commandLine(process.argv.slice(2), {
    options: {
      backend: { type: 'string' },
      model: { type: 'string' },
      method: { type: 'string' },
      runs: { type: 'string' },
    },
    usage: USAGE,
  });
  if (!cl) return;
  const backend = oneOf('--backend', String(cl.values.backend ?? 'wasm'), BACKENDS);
  const model = oneOf('--model', String(cl.values.model ?? 'cnn'), ['mlp', 'cnn'] as const);
  const method = oneOf('--method', String(cl.values.method ?? 'jt'), ['jt', 'crmt-jt'] as const);
  const runs = Number(cl.values.runs ?? 3);
  // The GPU check's training-only plan, on the case asked for.
  const plan: BenchPlan = {
    ...GPU_PLAN,
    methods: [method],
    models: [model],
    secondsPerCase: 4,
    secondsPerRepeat: 0.5,
    maxStepsPerRepeat: 10,
  };
  const browser = await launchChromium();
  const served = await buildAndServe(ROOT, Number(process.env.BENCH_PORT ?? 4182), benchPageConfig(ROOT));
  try {
    for (let r = 0; r < runs; r++) {
      const [result] = await benchBrowserBackends(browser, served.url, plan, () => {}, [backend]);
      const row = result.throughput[0];
      console.log(JSON.stringify({ backend, ...row, errors: result.errors }));
    }
  } finally {
    await served.close();
    await browser.close();
  }
}

runMain(main, "Run 'tsx src/bench/node/browserSpeedProbe.ts --help' for the options.");
