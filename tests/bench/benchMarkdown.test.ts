import { describe, expect, it } from 'vitest';
import { benchMarkdown } from '../../src/bench/benchMarkdown';
import type { BackendResult, BenchResults, MemoryRow } from '../../src/bench/benchTypes';

const memory = (flat: boolean): MemoryRow => ({
  method: 'jt',
  samples: 1200,
  epochs: 20,
  tensors: { before: 0, afterFirstEpoch: 41, afterEpochs: flat ? 41 : 61, afterDispose: flat ? 0 : 20 },
  bytes: { before: 0, afterFirstEpoch: 76_856, afterEpochs: flat ? 76_856 : 90_000, afterDispose: 0 },
  flat,
  secondsPerEpoch: 0.2,
});

function backend(env: BackendResult['env'], name: BackendResult['backend'], samplesPerSecond: number): BackendResult {
  return {
    env,
    backend: name,
    status: 'ok',
    reason: `forced by the user (${name})`,
    throughput: [
      {
        model: 'mlp',
        method: 'jt',
        status: 'ok',
        samplesPerSecond,
        stepsPerSecond: samplesPerSecond / 64,
        repeats: [samplesPerSecond * 0.9, samplesPerSecond, samplesPerSecond * 1.1],
        warmupSteps: 2,
        stepsPerRepeat: 10,
        batchSize: 64,
        trainSamples: 780,
      },
      {
        model: 'cnn',
        method: 'jt',
        status: 'cannot-run',
        reason: 'cannot run (no Conv2DBackpropFilter)',
        batchSize: 64,
      },
    ],
    memory: [memory(true)],
    evaluation: [{ method: 'jt', testSamples: 500, trainSamples: 1870, clean: 0.01, pgdL2: 0.8, certified: 3.6 }],
    profile: [],
    errors: [],
    seconds: { throughput: 12, memory: 30 },
  };
}

function results(over: Partial<BenchResults> = {}): BenchResults {
  return {
    generatedAt: '2026-11-27T12:00:00Z',
    quick: false,
    machine: { cpuModel: 'Test CPU', cores: 2, ramGiB: 8, os: 'Linux', node: 'v20.0.0', tfjs: '4.22.0' },
    browser: { name: 'Chromium', version: '156.0', args: ['--no-sandbox'] },
    plan: {
      methods: ['jt'],
      models: ['mlp', 'cnn'],
      secondsPerCase: 4,
      secondsPerRepeat: 0.5,
      maxStepsPerRepeat: 10,
      minRepeats: 3,
      maxRepeats: 15,
      memoryEpochs: 20,
      memoryMethods: ['jt'],
      memoryBudgetSeconds: 60,
      evalSamples: 500,
      evalMethods: ['jt'],
      evalBudgetSeconds: 40,
      profile: false,
    },
    backends: [backend('browser', 'wasm', 12_800), backend('node', 'wasm', 6400)],
    firstEpoch: [
      {
        choice: 'auto',
        backend: 'webgpu',
        reason: 'first preference',
        runs: 3,
        ready: 1,
        firstEpoch: 20,
        clickToEpoch: 19,
        all: [20],
      },
    ],
    torch: {
      available: true,
      version: '1.13.0a0',
      debian: true,
      python: '/usr/bin/python3 3.11.2',
      threads: 1,
      stepsPerSecond: 400,
      samplesPerSecond: 25_600,
      repeats: [25_600],
      stepsPerRepeat: 400,
      singleThreadStepsPerSecond: 400,
      opsPerStep: 80,
      batchSize: 64,
      trainSamples: 780,
    },
    errors: [],
    ...over,
  };
}

describe('benchMarkdown', () => {
  it('states machine and browser, and gives each backend its throughput and ratio to PyTorch', () => {
    const md = benchMarkdown(results(), null);
    expect(md).toContain('Test CPU, 2 cores');
    expect(md).toContain('Chromium 156.0');
    // Not interleaved: the ratio of the medians, with the range the repeats allow (0.9–1.1 × the median here).
    expect(md).toMatch(
      /\| browser worker \| wasm \| 12,800 \(200 steps\/s\) \| cannot run \(no Conv2DBackpropFilter\) \| 0\.50× \(not interleaved, range 0\.45–0\.55\) \|/,
    );
    expect(md).toMatch(
      /\| Node \| wasm \| 6,400 \(100 steps\/s\) \|.*\| 0\.25× \(not interleaved, range 0\.23–0\.28\) \|/,
    );
    expect(md).toContain("Debian's python3-torch 1.13, not 2.x");
    expect(md).not.toContain('## Optimisations');
  });

  it('an interleaved backend gets the median ratio of its pairs with quartiles and range, and a line on the pairs', () => {
    const torch = results().torch;
    if (!torch.available) throw new Error('fixture');
    const interleaved = {
      env: 'node' as const,
      backend: 'wasm' as const,
      stepsPerRepeat: 120,
      tfjs: [500, 900, 300, 1000, 700],
      torch: [1000, 1000, 1000, 800, 500],
      ratios: [0.5, 0.9, 0.3, 1.25, 1.4],
    };
    const md = benchMarkdown(results({ torch: { ...torch, interleaved } }), null);
    expect(md).toMatch(/\| Node \| wasm \|.*\| 0\.90× \(interleaved, IQR 0\.50–1\.25, range 0\.30–1\.40\) \|/);
    // The browser row was not interleaved and says so.
    expect(md).toMatch(/\| browser worker \| wasm \|.*\| 0\.50× \(not interleaved, range 0\.45–0\.55\) \|/);
    expect(md).toContain('Interleaved: 5 pairs of 120 steps, Node wasm then PyTorch on one thread');
    expect(md).toContain(
      'tfjs median 700 (IQR 500–900, range 300–1,000), PyTorch 1,000 (IQR 800–1,000, range 500–1,000)',
    );
  });

  it('the reading names the fastest backend and the ratio computed from the numbers', () => {
    const md = benchMarkdown(results(), null);
    expect(md).toContain('the fastest browser backend is wasm (browser) at 12,800 samples/s');
    expect(md).toContain("the lab's best is 0.50× of it");
    expect(md).toContain('stay flat over 20 epochs on all 2 checked runs');
  });

  it('marks memory that is not flat, in the table and the reading', () => {
    const leaky = backend('node', 'cpu', 3000);
    leaky.memory = [memory(false)];
    const md = benchMarkdown(results({ backends: [leaky] }), null);
    expect(md).toContain('**NOT FLAT**');
    expect(md).toContain('Memory is NOT flat on node cpu jt');
  });

  it('says how many samples a memory check used', () => {
    const slow = backend('browser', 'webgpu', 300);
    slow.memory = [{ ...memory(true), samples: 150 }];
    const md = benchMarkdown(results({ backends: [slow] }), null);
    expect(md).toMatch(/\| browser worker \| webgpu \| jt \| 150 \| 0 → 41 → 41 → 0 \|/);
  });

  it('tables the UI under load when it was measured, and says when the page did not stamp its snapshots', () => {
    const row = {
      dataset: 'scene15like: 15 classes, 3 modalities, 4485 samples',
      backend: 'wasm',
      method: 'crmt-jt',
      viewport: '1440×900',
      trainSeconds: 8.9,
      epochShown: 3,
      longestTaskMs: 81,
      longestTaskCpuMs: 24,
      longTaskMs: 408,
      longTasks: 6,
      pauseLatencyMs: 62.2,
      framesPerSecond: 53.6,
      viewLagSnapshots: 1,
      viewLagMs: 181.6,
    };
    const md = benchMarkdown(
      results({ responsiveness: [row, { ...row, viewLagSnapshots: null, viewLagMs: null, longestTaskCpuMs: null }] }),
      null,
    );
    expect(md).toContain('## UI responsiveness while training');
    expect(md).toContain(
      '| scene15like: 15 classes, 3 modalities, 4485 samples | wasm | crmt-jt | 1440×900 | 8.90 | 3 | 81.0 | 24.0 | 408 (6) | 62.2 | 53.6 | 1 (182 ms) |',
    );
    expect(md).toContain('| not stamped |');
    expect(md).toContain('| not traced |');
    expect(benchMarkdown(results(), null)).not.toContain('UI responsiveness');
  });

  it('gives the CNN case its ratio to PyTorch training the same CNN, with the spreads', () => {
    const wasm = backend('browser', 'wasm', 12_800);
    wasm.throughput[1] = {
      ...wasm.throughput[0],
      model: 'cnn',
      samplesPerSecond: 3200,
      stepsPerSecond: 50,
      repeats: [2880, 3200, 3520],
    };
    const torchCnn = {
      ...results().torch,
      stepsPerSecond: 200,
      samplesPerSecond: 12_800,
      repeats: [12_160, 12_800, 14_080],
      singleThreadStepsPerSecond: 100,
      opsPerStep: 88,
    } as BenchResults['torch'];
    const md = benchMarkdown(results({ backends: [wasm], torchCnn }), null);
    expect(md).toContain('## CNN against PyTorch');
    expect(md).toContain('200 steps/s on 1 thread (repeats 190–220), 100 on one thread, 88.0 top-level ops per step');
    expect(md).toMatch(/\| browser worker \| wasm \| 50\.0 \(45\.0–55\.0\) \| 0\.25× \| 0\.50× \|/);
    // Results written before the PyTorch CNN existed have no such section; a missing PyTorch says so.
    expect(benchMarkdown(results(), null)).not.toContain('CNN against PyTorch');
    const none = benchMarkdown(results({ torchCnn: { available: false, reason: 'PyTorch not available (x)' } }), null);
    expect(none).toContain('No PyTorch CNN reference: PyTorch not available (x)');
  });

  it('says PyTorch is not available rather than inventing a ratio', () => {
    const md = benchMarkdown(
      results({ torch: { available: false, reason: 'PyTorch not available (no module)' } }),
      null,
    );
    expect(md).toContain('PyTorch not available (no module)');
    expect(md).not.toMatch(/\d× \|/);
  });

  it('includes the optimisation notes verbatim under their own heading', () => {
    const notes = '- Fused step: 80 → 120 steps/s.\n';
    const md = benchMarkdown(results(), notes);
    expect(md).toContain(`## Optimisations\n\n${notes.trim()}`);
  });

  it('lists a backend that was not available and the parts that failed', () => {
    const gone: BackendResult = {
      ...backend('browser', 'webgpu', 1),
      status: 'unavailable',
      reason: 'fell back to webgl',
    };
    const md = benchMarkdown(results({ backends: [gone], errors: ['page load to first epoch: timeout'] }), null);
    expect(md).toContain('- browser worker webgpu: unavailable — fell back to webgl');
    expect(md).toContain('- page load to first epoch: timeout');
  });
});
