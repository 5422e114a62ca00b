/**
 * The GPU check's program: WebGPU (Dawn in Node) against WASM and CPU on the bench's MLP and CNN
 * cases, and the training loss of each against the CPU's from the same seeded start. Bundled by
 * `npm run gpu-check:prepare` and run by .gpu-check/run.sh on the GPU machine; runs the same with
 * `npx tsx src/bench/gpu/gpuCheck.ts` here. Writes its JSON after every part, so a run stopped
 * at its time limit still leaves what it measured.
 */
import { writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { canTrainConvolutions } from '../../core/backend/backendManager';
import type { BackendName } from '../../core/backend/backendNames';
import { initNodeBackend } from '../../cli/nodeBackend';
import { commandLine } from '../../cli/commandLine';
import { runMain, UsageError } from '../../cli/usageError';
import { benchBackend } from '../backendBench';
import { benchConfig, benchData } from '../benchCases';
import { emptyBackendResult, type BenchPlan, type ModelKind, type ThroughputRow } from '../benchTypes';
import { machineInfo } from '../node/benchMachine';
import { probeAdapter } from './adapterReport';
import { autoPicks } from './autoPick';
import { GPU_PLAN } from './gpuPlan';
import { installDawn } from './dawn';
import type { AdapterReport, GpuCheckResult, ParityRow } from './gpuCheckTypes';
import { parityGap, parityRow, stepLosses } from './lossParity';

/** WebGPU last: should Dawn bring the process down, the WASM and CPU numbers are already written. */
const BACKENDS: BackendName[] = ['wasm', 'cpu', 'webgpu'];
const UNFINISHED = 'did not finish: the process ended while measuring it (see gpu-check.log)';
const REFERENCE: BackendName = 'cpu';
/** Issue 17's parity bar for the loss after N seeded steps. */
const PARITY_TOLERANCE = 1e-4;
const PARITY_STEPS: Record<ModelKind, number> = { mlp: 12, cnn: 4 };

/** Filled in by the bundler (prepare.ts); "unbundled" when run from the source. */
declare const __GPU_CHECK_BUILD__: { commit: string; tfjs: string; dawn: string } | undefined;
const BUILD = typeof __GPU_CHECK_BUILD__ === 'undefined' ? null : __GPU_CHECK_BUILD__;

const USAGE = `Usage: gpu-check [options]   (on a GPU machine: bash .gpu-check/run.sh)

Measures training steps/s of the bench's MLP and CNN cases on WebGPU (Dawn), WASM and CPU, and the
loss of each backend against the CPU's after the same seeded steps; writes one JSON file.

  --out FILE        where to write the JSON (default: $OUT/gpu-check.json, else ./gpu-check.json)
  --budget SECONDS  stop starting new parts after this long (default 240)
  --wasm DIR        the tfjs .wasm binaries (default: beside the bundle, else the installed package)
  --dawn-flag FLAG  a Dawn toggle for create(), e.g. backend=vulkan (repeatable)
  --probe           only name the WebGPU adapter ("adapter: found …" or "adapter: none …") and exit
  --no-webgpu WHY   leave Dawn unloaded (run.sh: when the probe crashed), measuring WASM and CPU
  --tf-flag N=V     set a tfjs environment flag before measuring, e.g. WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE=64
                    (repeatable; recorded in the JSON)
  --only LIST       measure only these backends (comma-separated from wasm,cpu,webgpu)
  --batch N         training batch size of the throughput cases (default: the lab's, 64)
  -h, --help        print this help and exit`;

const log = (s: string) => console.log(`[gpu-check ${new Date().toISOString().slice(11, 19)}] ${s}`);
const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

async function main(): Promise<void> {
  const cl = commandLine(process.argv.slice(2), {
    options: {
      out: { type: 'string' },
      budget: { type: 'string' },
      wasm: { type: 'string' },
      'dawn-flag': { type: 'string', multiple: true },
      probe: { type: 'boolean' },
      'no-webgpu': { type: 'string' },
      'tf-flag': { type: 'string', multiple: true },
      only: { type: 'string' },
      batch: { type: 'string' },
    },
    usage: USAGE,
  });
  if (!cl) return;
  const v = cl.values as Record<string, string | string[] | undefined>;
  const out = resolve((v.out as string) ?? join(process.env.OUT ?? '.', 'gpu-check.json'));
  const budget = Number(v.budget ?? 240);
  if (!(budget > 0)) throw new UsageError(`--budget: "${String(v.budget)}" is not a positive number of seconds.`);
  const here = dirname(fileURLToPath(import.meta.url));
  const wasmDir = (v.wasm as string) ?? (BUILD ? join(here, 'wasm') : undefined);
  const tfFlags = parseTfFlags((v['tf-flag'] as string[] | undefined) ?? []);
  const only = v.only === undefined ? BACKENDS : (v.only as string).split(',').map((b) => b.trim());
  const unknown = only.filter((b) => !BACKENDS.includes(b as BackendName));
  if (unknown.length) throw new UsageError(`--only: ${unknown.join(', ')} is not one of ${BACKENDS.join(', ')}.`);
  const batch = v.batch === undefined ? undefined : Number(v.batch);
  if (batch !== undefined && !(Number.isInteger(batch) && batch > 0))
    throw new UsageError(`--batch: "${String(v.batch)}" is not a positive whole number.`);
  const plan: BenchPlan = batch ? { ...GPU_PLAN, batchSize: batch } : GPU_PLAN;
  const t0 = performance.now();
  const elapsed = () => (performance.now() - t0) / 1000;

  const noWebgpu = v['no-webgpu'] as string | undefined;
  const dawn = noWebgpu
    ? { gpu: null, reason: `WebGPU not tried: ${noWebgpu}` }
    : await installDawn((v['dawn-flag'] as string[] | undefined) ?? []);
  const adapter = await probeAdapter(dawn.gpu, dawn.reason);
  log(adapter.found ? `WebGPU adapter: ${adapter.text}` : `WebGPU: ${adapter.reason}`);
  if (v.probe) {
    console.log(adapter.found ? `adapter: found ${adapter.software ? 'software' : 'hardware'}` : 'adapter: none');
    return;
  }
  // Registers the 'webgpu' backend only now that navigator.gpu exists.
  if (dawn.gpu) await import('@tensorflow/tfjs-backend-webgpu');
  for (const [name, value] of Object.entries(tfFlags)) tf.env().set(name, value);

  const result: GpuCheckResult = {
    kind: 'crmt-gpu-check',
    generatedAt: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    commit: BUILD?.commit ?? 'unbundled',
    machine: machineInfo(BUILD?.tfjs),
    hostGpu: process.env.GPU_CHECK_HOST_GPU?.trim() || null,
    dawn: { package: 'webgpu', version: BUILD?.dawn ?? 'installed' },
    adapter,
    plan,
    backends: [],
    parity: [],
    parityTolerance: PARITY_TOLERANCE,
    wallSeconds: 0,
    errors: [],
    ...(Object.keys(tfFlags).length ? { tfFlags } : {}),
  };
  const save = () => {
    result.wallSeconds = elapsed();
    writeFileSync(out, JSON.stringify(result, null, 2) + '\n');
  };
  const usable = new Set<BackendName>();
  for (const name of BACKENDS.filter((b) => only.includes(b))) {
    if (name === 'webgpu' && !adapter.found) {
      result.backends.push(emptyBackendResult('node', name, 'unavailable', adapter.reason));
      continue;
    }
    if (elapsed() > budget) {
      result.backends.push(emptyBackendResult('node', name, 'unavailable', `not run: over the ${budget} s budget`));
      continue;
    }
    const slot = result.backends.push(emptyBackendResult('node', name, 'failed', UNFINISHED)) - 1;
    save();
    try {
      const info = await initNodeBackend(name, wasmDir);
      if (info.name !== name) {
        result.backends[slot] = emptyBackendResult('node', name, 'unavailable', info.reason);
        continue;
      }
      usable.add(name);
      const r = await benchBackend('node', info, planFor(name, adapter, plan));
      r.throughput.push(...softwareSkips(name, adapter));
      if (name === 'webgpu' && adapter.found) r.adapter = adapter.text;
      result.backends[slot] = r;
      log(
        `${name}: ${r.throughput.map((t) => `${t.model} ${t.method} ${t.status === 'ok' ? `${t.stepsPerSecond!.toFixed(1)} steps/s` : t.status}`).join(', ')}`,
      );
    } catch (e) {
      result.backends[slot] = emptyBackendResult('node', name, 'failed', message(e));
    } finally {
      save();
    }
  }

  for (const model of GPU_PLAN.models) {
    for (const row of await modelParity(model, usable, adapter, () => elapsed() > budget)) {
      result.parity.push(row);
      log(
        `parity ${model} ${row.backend}: ${row.status === 'ok' ? `max |Δloss| ${row.maxAbsDiff!.toExponential(2)}` : row.reason}`,
      );
    }
    save();
  }

  if (elapsed() > budget) result.errors.push(`auto selection not run: over the ${budget} s budget`);
  else {
    result.autoPicks = await autoPicks(GPU_PLAN.models, adapter);
    for (const p of result.autoPicks) log(`auto picks for ${p.model}: ${p.backend ?? 'nothing'} — ${p.reason}`);
    save();
  }
  log(`wrote ${out} (${elapsed().toFixed(0)} s)`);
}

/** NAME=VALUE pairs as tfjs flag values: numbers and true/false parsed, anything else kept as text. */
function parseTfFlags(pairs: string[]): Record<string, number | boolean | string> {
  return Object.fromEntries(
    pairs.map((p) => {
      const m = /^([A-Z0-9_]+)=(.*)$/.exec(p);
      if (!m) throw new UsageError(`--tf-flag: "${p}" is not NAME=VALUE with an upper-case flag name.`);
      const raw = m[2];
      const value =
        raw === 'true'
          ? true
          : raw === 'false'
            ? false
            : raw !== '' && Number.isFinite(Number(raw))
              ? Number(raw)
              : raw;
      return [m[1], value];
    }),
  );
}

/** Why a backend has no parity row for this model here, or null when it can train it. */
function whyNoParity(backend: BackendName, model: ModelKind, usable: Set<BackendName>, adapter: AdapterReport) {
  if (!usable.has(backend)) return `${backend} is not available here`;
  const skipped = softwareSkips(backend, adapter).find((t) => t.model === model);
  if (skipped) return skipped.reason!;
  if (model === 'cnn' && !canTrainConvolutions(backend)) return 'cannot run (no Conv2DBackpropFilter)';
  return null;
}

/** Each other backend's losses against the reference's; the reference trains only if one of them can. */
async function modelParity(
  model: ModelKind,
  usable: Set<BackendName>,
  adapter: AdapterReport,
  overBudget: () => boolean,
): Promise<ParityRow[]> {
  const method = GPU_PLAN.methods[0];
  const config = benchConfig(model, method);
  const base = (backend: BackendName) => ({ model, method, backend, reference: REFERENCE });
  const others = BACKENDS.filter((b) => b !== REFERENCE);
  const rows = new Map<BackendName, ParityRow>();
  for (const b of others) {
    const why = whyNoParity(b, model, usable, adapter);
    if (why) rows.set(b, parityGap(base(b), 'cannot-run', why));
  }
  const runnable = others.filter((b) => !rows.has(b));
  if (runnable.length) {
    const data = benchData(config);
    const run = async (backend: BackendName, steps: number) => {
      if (overBudget()) throw new Error('not run: over the time budget');
      await tf.setBackend(backend);
      return stepLosses(data, config, steps);
    };
    let reference: number[] | null = null;
    let referenceError = '';
    try {
      if (!usable.has(REFERENCE)) throw new Error(`the reference backend (${REFERENCE}) did not run`);
      reference = await run(REFERENCE, PARITY_STEPS[model]);
    } catch (e) {
      referenceError = message(e);
    }
    for (const b of runnable) {
      try {
        if (!reference) throw new Error(referenceError);
        rows.set(b, parityRow(base(b), await run(b, reference.length), reference));
      } catch (e) {
        rows.set(b, parityGap(base(b), 'failed', message(e)));
      }
    }
  }
  return others.map((b) => rows.get(b)!);
}

/**
 * A software adapter (SwiftShader) runs a CNN step in tens of seconds, which would spend the whole
 * budget on a number the bench's browser rows already give: the check then trains only the MLP on it.
 */
function planFor(name: BackendName, adapter: AdapterReport, plan: BenchPlan = GPU_PLAN): BenchPlan {
  return name === 'webgpu' && adapter.found && adapter.software ? { ...plan, models: ['mlp'] } : plan;
}

function softwareSkips(name: BackendName, adapter: AdapterReport): ThroughputRow[] {
  if (name !== 'webgpu' || !adapter.found || !adapter.software) return [];
  return GPU_PLAN.models
    .filter((m) => !planFor(name, adapter).models.includes(m))
    .flatMap((model) =>
      GPU_PLAN.methods.map((method) => ({
        model,
        method,
        status: 'cannot-run' as const,
        reason: `not run on a software adapter (${adapter.software})`,
        batchSize: benchConfig(model, method).train.batchSize,
      })),
    );
}

runMain(main, 'Run with --help for the options.');
