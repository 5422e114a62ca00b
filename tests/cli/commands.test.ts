import { execFile } from 'node:child_process';
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const TSX = resolve('node_modules/.bin/tsx');

/** Every command of the CLI, with a usage mistake of its own kind. */
const COMMANDS = [
  {
    name: 'experiment',
    file: 'src/cli/experiment.ts',
    bad: ['--no-such-flag'],
    says: "Unknown option '--no-such-flag'",
  },
  { name: 'compare', file: 'src/cli/compare.ts', bad: ['--methods', 'jt,magic'], says: '--methods: "magic"' },
  {
    name: 'results',
    file: 'src/cli/results.ts',
    bad: ['--seeds', '0'],
    says: '--seeds: 0 is not a whole number from 1 to 20',
  },
  { name: 'bench', file: 'src/bench/node/bench.ts', bad: ['--skip=node,gpu'], says: '--skip: "gpu" is not one of' },
  {
    name: 'bench:eval',
    file: 'src/bench/node/benchEval.ts',
    bad: ['--backend', 'webgpu'],
    says: '--backend: "webgpu" is not one of wasm, cpu',
  },
  {
    name: 'speedProbe',
    file: 'src/bench/node/speedProbe.ts',
    bad: ['wasm', 'magic:toy'],
    says: 'magic is not a method',
  },
  { name: 'schemas', file: 'src/cli/writeSchemas.ts', bad: ['extra'], says: "Unexpected argument 'extra'" },
];

/** Exit status, stdout and stderr of a command, and how long it took. */
async function spawn(file: string, args: string[]) {
  const t0 = performance.now();
  try {
    const { stdout, stderr } = await run(TSX, [file, ...args], { timeout: 60_000 });
    return { code: 0, stdout, stderr, seconds: (performance.now() - t0) / 1000 };
  } catch (e) {
    const r = e as { code: number; stdout: string; stderr: string };
    return { code: r.code, stdout: r.stdout, stderr: r.stderr, seconds: (performance.now() - t0) / 1000 };
  }
}

// The files a command writes when it runs: --help must leave them as they are.
const WRITTEN = ['docs/RESULTS.md', 'bench/results.json', 'docs/BENCHMARKS.md', 'schemas/experiment.schema.json'];
const mtimes = () => WRITTEN.map((f) => statSync(f).mtimeMs);

describe('every command follows the CLI conventions', () => {
  for (const c of COMMANDS)
    it(`${c.name}: -h and --help print the usage and exit 0 without work; a usage error exits 2`, async () => {
      const before = mtimes();
      const [long, short, bad] = await Promise.all([
        spawn(c.file, ['--help']),
        spawn(c.file, ['-h']),
        spawn(c.file, c.bad),
      ]);
      expect(long.code, long.stderr).toBe(0);
      expect(long.stdout).toMatch(/^Usage: /);
      expect(long.stdout).toMatch(/-h, --help/);
      expect(short).toMatchObject({ code: 0, stdout: long.stdout });
      expect(long.stderr + short.stderr).toBe('');
      // Without work: nothing written, done in the time it takes to start (results runs ~10 minutes).
      expect(mtimes()).toEqual(before);
      expect(Math.max(long.seconds, short.seconds)).toBeLessThan(30);
      expect(bad.code, bad.stderr).toBe(2);
      expect(bad.stderr).toContain(c.says);
      expect(bad.stderr).toMatch(/--help/);
    }, 120_000);
});
