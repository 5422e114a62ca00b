/**
 * `npm run gpu-check:record -- <gpu-check.json>`: puts a GPU check's numbers into
 * bench/results.json and re-renders docs/BENCHMARKS.md from it.
 */
import { readFileSync } from 'node:fs';
import { commandLine } from '../../cli/commandLine';
import { runMain } from '../../cli/usageError';
import { JSON_PATH, MD_PATH, readResults, writeMarkdown, writeResults } from '../node/benchFiles';
import { parseGpuCheck, withGpuCheck } from './readGpuCheck';

const USAGE = `Usage: npm run gpu-check:record -- <gpu-check.json>

Writes a GPU check's numbers (bash .gpu-check/run.sh on a GPU machine) into bench/results.json and
docs/BENCHMARKS.md. A run that found no hardware GPU adapter is refused.`;

async function main(): Promise<void> {
  const cl = commandLine(process.argv.slice(2), { options: {}, usage: USAGE, positionals: { min: 1, max: 1 } });
  if (!cl) return;
  const file = cl.positionals[0];
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(`${file}: cannot be read (${e instanceof Error ? e.message : String(e)})`);
  }
  const check = parseGpuCheck(text, file);
  const results = withGpuCheck(readResults(), check);
  await writeResults(results);
  await writeMarkdown(results);
  console.log(`recorded the GPU check of ${check.generatedAt} (${check.adapter.found ? check.adapter.text : ''})`);
  console.log(`wrote ${JSON_PATH} and ${MD_PATH}`);
}

runMain(main, "Run 'npm run gpu-check:record -- --help' for the usage.");
