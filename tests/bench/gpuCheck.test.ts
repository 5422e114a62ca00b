import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { benchMarkdown } from '../../src/bench/benchMarkdown';
import type { BackendResult, BenchResults, ThroughputRow } from '../../src/bench/benchTypes';
import { formatAdapter, NO_ADAPTER, probeAdapter, type GpuLike } from '../../src/bench/gpu/adapterReport';
import type { AdapterInfo, GpuCheckResult } from '../../src/bench/gpu/gpuCheckTypes';
import { GPU_PLAN } from '../../src/bench/gpu/gpuPlan';
import { parityRow } from '../../src/bench/gpu/lossParity';
import { parseGpuCheck, withGpuCheck } from '../../src/bench/gpu/readGpuCheck';
import { writeMarkdown, writeResults } from '../../src/bench/node/benchFiles';

const H200: AdapterInfo = {
  vendor: 'nvidia',
  architecture: 'hopper',
  device: 'NVIDIA H200',
  description: 'NVIDIA: 580.159.03 580.159.3.0',
  isFallbackAdapter: false,
};
const SWIFTSHADER: AdapterInfo = {
  vendor: 'google',
  architecture: 'swiftshader',
  device: 'swiftshader-device-subzero-',
  description: 'SwiftShader driver 5.0.0',
  isFallbackAdapter: true,
};

const row = (model: 'mlp' | 'cnn', stepsPerSecond: number, repeats: number[]): ThroughputRow => ({
  model,
  method: 'jt',
  status: 'ok',
  samplesPerSecond: stepsPerSecond * 64,
  stepsPerSecond,
  repeats: repeats.map((r) => r * 64),
  warmupSteps: 2,
  stepsPerRepeat: 10,
  batchSize: 64,
  trainSamples: 780,
});

function backend(name: BackendResult['backend'], throughput: ThroughputRow[]): BackendResult {
  return {
    env: 'node',
    backend: name,
    status: 'ok',
    reason: `forced by the user (${name})`,
    throughput,
    memory: [],
    evaluation: [],
    profile: [],
    errors: [],
    seconds: {},
  };
}

function check(info: AdapterInfo = H200): GpuCheckResult {
  return {
    kind: 'crmt-gpu-check',
    generatedAt: '2026-12-01T10:00:00Z',
    commit: 'abc123def456',
    machine: { cpuModel: 'Host CPU', cores: 16, ramGiB: 128, os: 'Linux x64', node: 'v20.20.2', tfjs: '4.22.0' },
    hostGpu: 'NVIDIA H200, 580.159.03, 143771 MiB',
    dawn: { package: 'webgpu', version: '0.6.2' },
    adapter: { found: true, info, software: info.isFallbackAdapter ? 'swiftshader' : null, text: formatAdapter(info) },
    // The recorded check's own plan (jt only), as an older check would carry it.
    plan: { ...GPU_PLAN, methods: ['jt'] },
    backends: [
      backend('webgpu', [row('mlp', 800, [700, 800, 900]), row('cnn', 400, [380, 400, 420])]),
      backend('wasm', [
        row('mlp', 400, [390, 400, 410]),
        {
          model: 'cnn',
          method: 'jt',
          status: 'cannot-run',
          reason: 'cannot run (no Conv2DBackpropFilter)',
          batchSize: 64,
        },
      ]),
      backend('cpu', [row('mlp', 100, [90, 100, 110]), row('cnn', 2, [1.9, 2, 2.1])]),
    ],
    parity: [
      { model: 'mlp', method: 'jt', backend: 'webgpu', reference: 'cpu', steps: 12, status: 'ok', maxAbsDiff: 3e-7 },
      { model: 'cnn', method: 'jt', backend: 'webgpu', reference: 'cpu', steps: 4, status: 'ok', maxAbsDiff: 2e-3 },
      {
        model: 'cnn',
        method: 'jt',
        backend: 'wasm',
        reference: 'cpu',
        steps: 0,
        status: 'cannot-run',
        reason: 'cannot run (no Conv2DBackpropFilter)',
      },
    ],
    parityTolerance: 1e-4,
    autoPicks: [
      {
        model: 'mlp',
        method: 'crmt-jt',
        backend: 'wasm',
        reason: 'auto: wasm was fastest on this model (wasm 400 steps/s, webgpu 120, cpu 90)',
        timings: [
          { name: 'wasm', stepsPerSecond: 400, steps: 120, warmupMs: 30 },
          { name: 'webgpu', stepsPerSecond: 120, steps: 36, warmupMs: 900 },
          { name: 'cpu', stepsPerSecond: 90, steps: 27, warmupMs: 20 },
        ],
      },
      { model: 'cnn', method: 'crmt-jt', backend: null, reason: 'No tensor backend works here: …', timings: [] },
    ],
    wallSeconds: 95,
    errors: [],
  };
}

function benchResults(): BenchResults {
  const c = check();
  return {
    generatedAt: '2026-11-30T11:00:00Z',
    quick: true,
    machine: { cpuModel: 'Dev CPU', cores: 2, ramGiB: 8, os: 'Linux', node: 'v20.20.2', tfjs: '4.22.0' },
    browser: null,
    plan: c.plan,
    backends: [backend('wasm', [row('mlp', 240, [230, 240, 250])])],
    firstEpoch: [],
    torch: { available: false, reason: 'not run' },
    errors: [],
  };
}

describe('adapter description', () => {
  it('names vendor, architecture, device and driver, and says when the adapter is software', () => {
    expect(formatAdapter(H200)).toBe(
      'vendor nvidia, architecture hopper, device NVIDIA H200, driver NVIDIA: 580.159.03 580.159.3.0',
    );
    expect(formatAdapter(SWIFTSHADER)).toBe(
      'vendor google, architecture swiftshader, device swiftshader-device-subzero-, driver SwiftShader driver 5.0.0 ' +
        '(software: swiftshader, computes on the CPU)',
    );
    const unnamed = { vendor: '', architecture: '', device: '', description: '', isFallbackAdapter: true };
    expect(formatAdapter(unnamed)).toBe(
      'vendor not reported, architecture not reported, device not reported, driver not reported ' +
        '(software: fallback adapter, computes on the CPU)',
    );
  });

  it('asks for the adapter tfjs will use, and reports no binding, no adapter or an error without throwing', async () => {
    const asked: unknown[] = [];
    const gpu = (answer: () => Promise<unknown>): GpuLike => ({
      requestAdapter: (o) => {
        asked.push(o);
        return answer() as ReturnType<GpuLike['requestAdapter']>;
      },
    });
    const found = await probeAdapter(gpu(async () => ({ info: { ...H200 } })));
    expect(found).toEqual({ found: true, info: H200, software: null, text: formatAdapter(H200) });
    expect(asked).toEqual([{ powerPreference: 'high-performance' }]);
    const software = await probeAdapter(
      gpu(async () => ({ info: { ...SWIFTSHADER, isFallbackAdapter: undefined }, isFallbackAdapter: true })),
    );
    expect(software.found && software.software).toBe('swiftshader');
    expect(software.found && software.info.isFallbackAdapter).toBe(true);
    expect(await probeAdapter(gpu(async () => null))).toEqual({ found: false, reason: NO_ADAPTER });
    expect(await probeAdapter(gpu(async () => Promise.reject(new Error('device lost'))))).toEqual({
      found: false,
      reason: 'requesting a WebGPU adapter failed: device lost',
    });
    expect(await probeAdapter(null, "Dawn's Node binding did not load: no dawn.node")).toEqual({
      found: false,
      reason: "Dawn's Node binding did not load: no dawn.node",
    });
  });
});

describe('loss parity', () => {
  it('is the largest step-by-step difference from the reference', () => {
    const base = {
      model: 'mlp' as const,
      method: 'jt' as const,
      backend: 'webgpu' as const,
      reference: 'cpu' as const,
    };
    const r = parityRow(base, [1.5, 1.25, 1.0], [1.5, 1.2, 1.05]);
    expect(r.steps).toBe(3);
    expect(r.maxAbsDiff).toBeCloseTo(0.05, 12);
    expect(() => parityRow(base, [1, 2], [1])).toThrow(/same non-zero number of steps \(2 and 1\)/);
  });
});

describe('gpu-check:record', () => {
  it('refuses what is not a GPU check, naming the file and the field', () => {
    expect(() => parseGpuCheck('{"kind":', 'run.json')).toThrow(/^run\.json: not JSON/);
    expect(() => parseGpuCheck('{"kind":"bench"}', 'run.json')).toThrow(
      'run.json: field "kind" is "bench", not "crmt-gpu-check"',
    );
    const noParity: Partial<GpuCheckResult> = check();
    delete noParity.parity;
    expect(() => parseGpuCheck(JSON.stringify(noParity), 'run.json')).toThrow(
      'run.json: field "parity" is missing or not a list',
    );
    const broken = { ...check(), backends: [{ backend: 'webgpu' }] };
    expect(() => parseGpuCheck(JSON.stringify(broken), 'run.json')).toThrow(
      'field "backends[0]" is not a backend result',
    );
  });

  it('refuses a run without a hardware adapter: there is no GPU number in it', () => {
    expect(() => parseGpuCheck(JSON.stringify(check(SWIFTSHADER)), 'sw.json')).toThrow(
      /^sw\.json: field "adapter" is a software adapter \(swiftshader: vendor google/,
    );
    const none = { ...check(), adapter: { found: false, reason: NO_ADAPTER } };
    expect(() => parseGpuCheck(JSON.stringify(none), 'none.json')).toThrow(
      `none.json: field "adapter" says the check found no GPU adapter (${NO_ADAPTER})`,
    );
  });

  it('writes the check into results.json and renders it in BENCHMARKS.md with the adapter and the date', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gpu-record-'));
    const parsed = parseGpuCheck(JSON.stringify(check()), 'gpu-check.json');
    const results = withGpuCheck(benchResults(), parsed);
    await writeResults(results, join(dir, 'results.json'));
    await writeMarkdown(results, join(dir, 'BENCHMARKS.md'));
    const back = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as BenchResults;
    expect(back.gpu).toEqual(check());
    expect(back.backends).toEqual(benchResults().backends);
    const md = readFileSync(join(dir, 'BENCHMARKS.md'), 'utf8');
    expect(md).toContain('## Real GPU (WebGPU through Dawn in Node)');
    expect(md).toContain('on 2026-12-01T10:00:00Z (bundle from commit abc123def456)');
    expect(md).toContain(`| WebGPU adapter   | ${formatAdapter(H200)} |`);
    expect(md).toContain('NVIDIA H200, 580.159.03, 143771 MiB');
    expect(md).toMatch(/\| webgpu +\| 800 steps\/s +\| 400 steps\/s +\|/);
    expect(md).toMatch(/\| wasm +\| 400 steps\/s +\| cannot run \(no Conv2DBackpropFilter\) \|/);
    expect(md).toMatch(/\| cpu +\| 100 steps\/s +\| 2\.00 steps\/s +\|/);
    // Spread in steps/s, and WebGPU's ratio computed from the medians: 800/400, 800/100, 400/2.
    expect(md).toMatch(/\| webgpu +\| 10 × 3 \(700–900\) +\| 10 × 3 \(380–420\) +\|/);
    expect(md).toMatch(/\| WebGPU is +\| 2\.00× wasm, 8\.00× cpu \| 200× cpu +\|/);
    expect(md).toMatch(/\| MLP jt +\| webgpu +\| 12 +\| 3\.0e-7 +\| yes +\|/);
    expect(md).toMatch(/\| CNN jt +\| webgpu +\| 4 +\| 2\.0e-3 +\| \*\*no\*\* +\|/);
    expect(md).toContain("auto: the page's selection code and timing budget, method crmt-jt");
    expect(md).toMatch(/\| MLP +\| wasm +\| wasm 400 steps\/s, webgpu 120, cpu 90 +\|/);
    expect(md).toMatch(/\| CNN +\| nothing: No tensor backend works here: … +\| – +\|/);
    expect(md).not.toContain('No real-GPU number exists yet');
  });

  it('renders a check recorded before auto picks existed without that table', () => {
    const old: Partial<GpuCheckResult> = check();
    delete old.autoPicks;
    const md = benchMarkdown(withGpuCheck(benchResults(), parseGpuCheck(JSON.stringify(old), 'old.json')), null);
    expect(md).toContain('## Real GPU (WebGPU through Dawn in Node)');
    expect(md).not.toContain('auto picks');
    expect(md).not.toContain('tfjs flags set');
  });

  it('names the tfjs flags a check ran with', () => {
    const flagged = { ...check(), tfFlags: { WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE: 64, WEBGPU_CPU_FORWARD: false } };
    const md = benchMarkdown(withGpuCheck(benchResults(), flagged), null);
    expect(md).toMatch(/\| tfjs flags set +\| WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE=64, WEBGPU_CPU_FORWARD=false +\|/);
  });

  it('until a check is recorded, BENCHMARKS.md says no real-GPU number exists and how to get one', () => {
    const md = benchMarkdown(benchResults(), null);
    expect(md).toContain('No real-GPU number exists yet');
    expect(md).toContain('`npm run gpu-check:prepare`');
    expect(md).toContain('`bash .gpu-check/run.sh`');
    expect(md).toContain('`npm run gpu-check:record -- <the gpu-check.json it wrote>`');
  });
});
