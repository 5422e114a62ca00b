import type { BenchResults } from '../benchTypes';
import type { GpuCheckResult } from './gpuCheckTypes';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A GPU check's JSON, checked field by field: a wrong file, a truncated run or a run without a
 * hardware adapter is refused with a message naming the file and the field, and nothing is written.
 */
export function parseGpuCheck(text: string, file: string): GpuCheckResult {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new Error(`${file}: not JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  const fail = (field: string, problem: string): never => {
    throw new Error(`${file}: field "${field}" ${problem}`);
  };
  if (!isObject(data)) return fail('(top level)', 'is not an object');
  if (data.kind !== 'crmt-gpu-check')
    fail('kind', `is ${JSON.stringify(data.kind)}, not "crmt-gpu-check": this is not the GPU check's output`);
  for (const f of ['generatedAt', 'commit'])
    if (typeof data[f] !== 'string' || !data[f]) fail(f, 'is missing or not a string');
  if (Number.isNaN(Date.parse(data.generatedAt as string))) fail('generatedAt', 'is not a date');
  for (const f of ['machine', 'dawn', 'plan', 'adapter'])
    if (!isObject(data[f])) fail(f, 'is missing or not an object');
  for (const f of ['backends', 'parity', 'errors']) if (!Array.isArray(data[f])) fail(f, 'is missing or not a list');
  if (typeof data.parityTolerance !== 'number') fail('parityTolerance', 'is missing or not a number');
  (data.backends as unknown[]).forEach((b, i) => {
    if (!isObject(b) || typeof b.backend !== 'string' || typeof b.status !== 'string' || !Array.isArray(b.throughput))
      fail(`backends[${i}]`, 'is not a backend result (backend, status, throughput)');
  });
  const check = data as unknown as GpuCheckResult;
  const adapter = check.adapter;
  if (!adapter.found)
    return fail('adapter', `says the check found no GPU adapter (${adapter.reason}): there is no GPU number to record`);
  if (adapter.software)
    fail(
      'adapter',
      `is a software adapter (${adapter.software}: ${adapter.text}); recording it would claim a GPU number that ` +
        'does not exist',
    );
  if (!check.backends.some((b) => b.backend === 'webgpu')) fail('backends', 'has no webgpu entry');
  return check;
}

/** The bench results with this check as their real-GPU part (a new check replaces the last one). */
export function withGpuCheck(results: BenchResults, check: GpuCheckResult): BenchResults {
  return { ...results, gpu: check };
}
