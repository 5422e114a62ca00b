import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import * as engine from '../../src/core/index';
import { LAB_VERSION } from '../../src/core/version';

const run = promisify(execFile);
const pkg = JSON.parse(readFileSync('package.json', 'utf8'));

describe('the open-source package', () => {
  it('has one license, one version and a citation of the lab and the CRMT paper', () => {
    expect(pkg.license).toBe('MIT');
    expect(readFileSync('LICENSE', 'utf8')).toMatch(/^MIT License\n/);
    expect(pkg.private).toBeUndefined();
    expect(LAB_VERSION).toBe(pkg.version);
    const cff = readFileSync('CITATION.cff', 'utf8');
    expect(cff).toMatch(/^cff-version: 1\.2\.0$/m);
    expect(cff).toMatch(new RegExp(`^version: ${pkg.version.replace(/\./g, '\\.')}$`, 'm'));
    expect(cff).toMatch(/^license: MIT$/m);
    expect(cff).toContain('Quantifying and Enhancing Multi-modal Robustness with Modality Preference');
    for (const name of ['Yang', 'Wei', 'Liang', 'Hu']) expect(cff).toContain(`family-names: ${name}`);
    expect(cff).toContain('arXiv:2402.06244');
    const changelog = readFileSync('CHANGELOG.md', 'utf8');
    expect(changelog).toContain(`## [${pkg.version}]`);
  });

  it('exposes src/core as its typed entry point, with the engine a Node user needs', () => {
    expect(pkg.exports['.']).toEqual({ types: './src/core/index.ts', default: './src/core/index.ts' });
    for (const name of ['Trainer', 'prepareDataset', 'certifiedRadius', 'soundConstants', 'exportModel', 'METHODS'])
      expect(engine, name).toHaveProperty(name);
  });

  it('runs the README example: trains CRMT-JT and certifies it in Node, importing the package by name', async () => {
    const readme = readFileSync('README.md', 'utf8');
    const block = /<!-- example: engine -->\s*```ts\n([\s\S]*?)```/.exec(readme);
    expect(block, 'the README has the engine example').not.toBeNull();
    // Inside the repository, so 'crmt-lab' resolves to this package by its "exports".
    const dir = mkdtempSync(resolve('.tmp-example-'));
    try {
      writeFileSync(join(dir, 'example.ts'), block![1]);
      const { stdout } = await run(resolve('node_modules/.bin/tsx'), [join(dir, 'example.ts')], { timeout: 180_000 });
      // The toy's default modality A is nearly separable: step 1 may reach a validation accuracy of 1.
      expect(stdout).toMatch(/^step1 epoch 10: val acc (0\.\d+|1)$/m);
      expect(stdout).toMatch(/step2 epoch \d+: val acc/);
      const ca = Number(/certified accuracy at ε = 0\.1: ([\d.]+)%/.exec(stdout)?.[1]);
      expect(ca).toBeGreaterThan(50);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 200_000);
});
