import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { benchMarkdown } from '../benchMarkdown';
import type { BenchResults } from '../benchTypes';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const JSON_PATH = join(ROOT, 'bench/results.json');
export const MD_PATH = join(ROOT, 'docs/BENCHMARKS.md');
const NOTES_PATH = join(ROOT, 'bench/optimisations.md');

/** Formatted as `npm run lint` expects. */
const pretty = async (text: string, filepath: string) => format(text, { ...(await resolveConfig(filepath)), filepath });

export function readResults(path = JSON_PATH): BenchResults {
  return JSON.parse(readFileSync(path, 'utf8')) as BenchResults;
}

export async function writeResults(results: BenchResults, path = JSON_PATH): Promise<void> {
  writeFileSync(path, await pretty(JSON.stringify(results), path));
}

/** docs/BENCHMARKS.md from results, with bench/optimisations.md when it exists. */
export async function writeMarkdown(results: BenchResults, path = MD_PATH): Promise<void> {
  const optimisations = existsSync(NOTES_PATH) ? readFileSync(NOTES_PATH, 'utf8') : null;
  writeFileSync(path, await pretty(benchMarkdown(results, optimisations), path));
}
