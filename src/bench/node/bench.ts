import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { benchBackend } from '../backendBench';
import {
  emptyBackendResult,
  type BackendResult,
  type BenchPlan,
  type BenchResults,
  type FirstEpochRow,
  type ResponsivenessRow,
  type TorchResult,
} from '../benchTypes';
import { benchBrowserBackends, benchPageConfig, buildAndServe, CHROMIUM_ARGS, launchChromium } from './benchBrowser';
import { firstEpoch } from './benchFirstEpoch';
import { benchResponsiveness } from './benchResponsiveness';
import { writeManyClassFolder } from './manyClassFolder';
import { machineInfo } from './benchMachine';
import { torchReference } from './benchTorch';
import { JSON_PATH, MD_PATH, readResults, ROOT, writeMarkdown, writeResults } from './benchFiles';
import { benchConfig, benchData } from '../benchCases';
import { spread } from '../stats';
import { timeSteps } from '../trainingThroughput';
import { Trainer } from '../../core/train/trainer';
import { initNodeBackend } from '../../cli/nodeBackend';
import { commandLine, oneOf } from '../../cli/commandLine';
import { runMain } from '../../cli/usageError';

const PORT = Number(process.env.BENCH_PORT ?? 4181);
const PARTS = ['node', 'torch', 'browser', 'lab', 'ui'] as const;
type Part = (typeof PARTS)[number];

const FULL: BenchPlan = {
  methods: ['jt', 'crmt-jt'],
  models: ['mlp', 'cnn'],
  secondsPerCase: 4,
  secondsPerRepeat: 0.5,
  maxStepsPerRepeat: 10,
  minRepeats: 3,
  maxRepeats: 15,
  memoryEpochs: 20,
  memoryMethods: ['jt', 'crmt-jt'],
  memoryBudgetSeconds: 60,
  evalSamples: 500,
  evalMethods: ['jt', 'crmt-jt'],
  evalBudgetSeconds: 40,
  profile: false,
};
const QUICK: BenchPlan = {
  ...FULL,
  secondsPerCase: 1,
  secondsPerRepeat: 0.2,
  maxRepeats: 5,
  memoryEpochs: 3,
  memoryMethods: ['jt'],
  memoryBudgetSeconds: 15,
  evalSamples: 250,
  evalMethods: ['jt'],
  evalBudgetSeconds: 15,
};

const log = (s: string) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${s}`);
const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

const USAGE = `Usage: npm run bench -- [options]

Measures training throughput, kernels per step, evaluation cost, tensor memory and page load on
every backend (Node and a browser worker), and the PyTorch reference; writes bench/results.json and
docs/BENCHMARKS.md (about 5-8 minutes).

  --quick             a short version
  --skip LIST         leave parts out, comma-separated: ${PARTS.join(', ')} (also --skip=LIST)
  --render            only rewrite docs/BENCHMARKS.md from bench/results.json
  -h, --help          print this help and exit`;

function benchOptions(argv: string[]): { quick: boolean; render: boolean; skip: Set<Part> } | null {
  const cl = commandLine(argv, {
    options: { quick: { type: 'boolean' }, render: { type: 'boolean' }, skip: { type: 'string' } },
    usage: USAGE,
  });
  if (!cl) return null;
  const skip = new Set<Part>();
  for (const p of typeof cl.values.skip === 'string' ? cl.values.skip.split(',') : [])
    skip.add(oneOf('--skip', p.trim(), PARTS));
  return { quick: Boolean(cl.values.quick), render: Boolean(cl.values.render), skip };
}

async function nodeBackends(plan: BenchPlan): Promise<BackendResult[]> {
  const results: BackendResult[] = [];
  for (const backend of ['wasm', 'cpu'] as const) {
    const t0 = performance.now();
    const info = await initNodeBackend(backend);
    const r =
      info.name === backend
        ? await benchBackend('node', info, { ...plan, profile: true })
        : emptyBackendResult('node', backend, 'unavailable', info.reason);
    log(`node ${backend}: ${r.status} in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    results.push(r);
  }
  return results;
}

/**
 * The PyTorch reference, then the MLP jt step on Node WASM and PyTorch (one thread) in turns, a
 * repeat each, so the ratio is taken under the same load on both sides.
 */
async function interleavedTorch(quick: boolean): Promise<TorchResult> {
  const script = join(ROOT, 'bench/torch_reference.py');
  const info = await initNodeBackend('wasm');
  if (info.name !== 'wasm') return torchReference(script, quick);
  const config = benchConfig('mlp', 'jt');
  const trainer = new Trainer(benchData(config), config);
  try {
    await trainer.advance(trainer.stepsPerEpoch); // warm-up: kernels compiled, first allocations made
    return await torchReference(script, quick, 'mlp', {
      tfjs: (steps) => timeSteps(trainer, steps, config.train.progressEvery),
      env: 'node',
      backend: 'wasm',
      repeats: quick ? 7 : 15,
      stepsPerRepeat: quick ? 60 : 120,
    });
  } finally {
    trainer.dispose();
  }
}

/** `npm run bench`: Node backends, the PyTorch reference, the browser worker, the lab's first epoch, the UI under load. */
async function main(): Promise<void> {
  const options = benchOptions(process.argv.slice(2));
  if (!options) return;
  const { quick, render, skip } = options;
  if (render) {
    await writeMarkdown(readResults());
    return log(`wrote ${MD_PATH}`);
  }
  const plan = quick ? QUICK : FULL;
  const errors: string[] = [];
  const backends: BackendResult[] = [];
  let torch: TorchResult = { available: false, reason: 'not run (--skip=torch)' };
  let torchCnn: TorchResult = { available: false, reason: 'not run (--skip=torch)' };
  let browserInfo: BenchResults['browser'] = null;
  const firstEpochs: FirstEpochRow[] = [];
  const responsiveness: ResponsivenessRow[] = [];

  if (!skip.has('node')) backends.push(...(await nodeBackends(plan)));
  if (!skip.has('torch')) {
    log('PyTorch reference, then interleaved with Node WASM');
    torch = await interleavedTorch(quick);
    log(torch.available ? `PyTorch ${torch.version}: ${torch.stepsPerSecond.toFixed(0)} steps/s` : torch.reason);
    torchCnn = await torchReference(join(ROOT, 'bench/torch_reference.py'), quick, 'cnn');
    log(torchCnn.available ? `PyTorch CNN: ${torchCnn.stepsPerSecond.toFixed(0)} steps/s` : torchCnn.reason);
    if (torch.available && torch.interleaved) {
      const s = spread(torch.interleaved.ratios);
      log(
        `interleaved MLP jt, Node WASM / PyTorch one thread: ${s.median.toFixed(2)}× (IQR ${s.q1.toFixed(2)}–${s.q3.toFixed(2)})`,
      );
    }
  }
  if (!skip.has('browser') || !skip.has('lab') || !skip.has('ui')) {
    const browser = await launchChromium();
    browserInfo = { name: 'Chromium', version: browser.version(), args: CHROMIUM_ARGS };
    try {
      if (!skip.has('browser')) {
        log('building the bench page');
        const served = await buildAndServe(ROOT, PORT, benchPageConfig(ROOT));
        try {
          backends.push(...(await benchBrowserBackends(browser, served.url, plan, log)));
        } catch (e) {
          errors.push(`browser worker bench: ${message(e)}`);
        } finally {
          await served.close();
        }
      }
      if (!skip.has('lab') || !skip.has('ui')) {
        log('building the lab');
        const served = await buildAndServe(ROOT, PORT, {});
        try {
          if (!skip.has('lab'))
            for (const query of ['', '?backend=wasm']) {
              const row = await firstEpoch(browser, served.url, query, quick ? 1 : 3);
              log(`first epoch (${row.choice}): ${row.firstEpoch.toFixed(2)} s`);
              firstEpochs.push(row);
            }
        } catch (e) {
          errors.push(`page load to first epoch: ${message(e)}`);
        }
        try {
          if (!skip.has('ui')) {
            const rows = await benchResponsiveness(
              browser,
              { url: served.url, folder: writeManyClassFolder() },
              quick ? 1 : 3,
            );
            for (const r of rows)
              log(`UI: longest task ${r.longestTaskMs.toFixed(0)} ms, pause ${r.pauseLatencyMs.toFixed(0)} ms`);
            responsiveness.push(...rows);
          }
        } catch (e) {
          errors.push(`UI responsiveness: ${message(e)}`);
        } finally {
          await served.close();
        }
      }
    } finally {
      await browser.close();
    }
  }

  const results: BenchResults = {
    generatedAt: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    quick,
    machine: machineInfo(),
    browser: browserInfo,
    plan,
    backends,
    firstEpoch: firstEpochs,
    responsiveness,
    torch,
    torchCnn,
    errors,
    // The real-GPU check runs elsewhere (npm run gpu-check:record): a bench run here keeps its numbers.
    gpu: existsSync(JSON_PATH) ? readResults().gpu : undefined,
  };
  await writeResults(results);
  await writeMarkdown(results);
  log(`wrote ${JSON_PATH} and ${MD_PATH}`);
  const leaks = backends.flatMap((b) =>
    b.memory.filter((m) => !m.flat).map((m) => `${b.env} ${b.backend} ${m.method}`),
  );
  if (leaks.length) {
    console.error(`error: tensor memory is NOT flat over ${plan.memoryEpochs} epochs: ${leaks.join(', ')}`);
    process.exitCode = 1;
  }
}

runMain(main, "Run 'npm run bench -- --help' for the options.");
