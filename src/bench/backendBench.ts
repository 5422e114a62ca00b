import type { BackendInfo } from '../core/backend/backendNames';
import { splitIndices } from '../core/data/dataset';
import type { MethodId } from '../core/train/methods';
import { emptyBackendResult, type BackendResult, type BenchEnv, type BenchPlan } from './benchTypes';
import { benchConfig, benchData } from './benchCases';
import { measureEvaluation } from './evaluationCost';
import { measureMemory } from './memoryCheck';
import { profileSteps } from './stepProfile';
import { measureThroughput } from './trainingThroughput';

const PROFILE_STEPS = 10;
/** The fewest toy samples a memory check shrinks to: a batch or so, still with every class in every split. */
const MIN_MEMORY_SAMPLES = 100;

/**
 * The default MLP on toy2d, with fewer samples on a backend too slow for the default data to run
 * its epochs in a quarter of the budget: whether tensors stay flat does not depend on how many
 * batches an epoch has, and a slow backend (SwiftShader's WebGPU) is the one most worth checking.
 */
function memoryCase(method: MethodId, plan: BenchPlan, stepsPerSecond: number | undefined) {
  const config = benchConfig('mlp', method, true);
  const data = benchData(config);
  const batches = Math.ceil(splitIndices(data, 'train').length / config.train.batchSize);
  const seconds = stepsPerSecond ? (plan.memoryEpochs * batches) / stepsPerSecond : 0;
  const quarter = plan.memoryBudgetSeconds / 4;
  if (seconds <= quarter) return { config, data };
  const toy = config.data.toy2d;
  const samples = Math.max(MIN_MEMORY_SAMPLES, Math.floor((toy.samples * quarter) / seconds));
  const smaller = { ...config, data: { ...config.data, toy2d: { ...toy, samples } } };
  return { config: smaller, data: benchData(smaller) };
}

const NO_CONV_GRAD = 'cannot run (no Conv2DBackpropFilter)';

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * Everything measured on the backend tf is set to now, the same code in Node and in the
 * browser worker. A failing part is recorded with its error; the rest still runs.
 */
export async function benchBackend(env: BenchEnv, info: BackendInfo, plan: BenchPlan): Promise<BackendResult> {
  const result = emptyBackendResult(env, info.name, 'ok', info.reason);
  const timed = async (part: keyof BackendResult['seconds'], f: () => Promise<void>) => {
    const t0 = performance.now();
    await f();
    result.seconds[part] = (performance.now() - t0) / 1000;
  };
  const attempt = async (what: string, f: () => Promise<void>) => {
    try {
      await f();
    } catch (e) {
      result.errors.push(`${what}: ${message(e)}`);
    }
  };
  await timed('throughput', () => throughput(result, info, plan));
  if (plan.memoryEpochs > 0)
    await timed('memory', async () => {
      for (const method of plan.memoryMethods)
        await attempt(`memory ${method}`, async () => {
          const rate = result.throughput.find((t) => t.model === 'mlp' && t.method === method)?.stepsPerSecond;
          const { config, data } = memoryCase(method, plan, rate);
          result.memory.push(await measureMemory(data, config, plan.memoryEpochs, plan.memoryBudgetSeconds, rate));
        });
    });
  if (plan.evalSamples > 0)
    await timed('evaluation', async () => {
      const t0 = performance.now();
      for (const [i, method] of plan.evalMethods.entries()) {
        // Another method costs about what the ones before it did on average.
        const spent = (performance.now() - t0) / 1000;
        if (i > 0 && spent + spent / i > plan.evalBudgetSeconds) {
          result.errors.push(
            `evaluation ${method}: skipped: about ${Math.round(spent / i)} s per method here, ` +
              `over the ${plan.evalBudgetSeconds} s budget`,
          );
          continue;
        }
        await attempt(`evaluation ${method}`, async () => {
          result.evaluation.push(await measureEvaluation(method, plan.evalSamples));
        });
      }
    });
  if (plan.profile)
    await timed('profile', async () => {
      const data = benchData(benchConfig('mlp', 'jt'));
      for (const method of plan.methods)
        await attempt(`profile ${method}`, async () => {
          result.profile.push(await profileSteps(data, benchConfig('mlp', method), PROFILE_STEPS));
        });
    });
  return result;
}

/** Every (model, method) case; a CNN on a backend without convolution gradients is recorded, not run. */
async function throughput(result: BackendResult, info: BackendInfo, plan: BenchPlan): Promise<void> {
  for (const model of plan.models) {
    const data = benchData(benchConfig(model, 'jt'));
    for (const method of plan.methods) {
      const base = benchConfig(model, method);
      const config = { ...base, train: { ...base.train, batchSize: plan.batchSize ?? base.train.batchSize } };
      if (model === 'cnn' && !info.canTrainConvolutions) {
        result.throughput.push({
          model,
          method,
          status: 'cannot-run',
          reason: NO_CONV_GRAD,
          batchSize: config.train.batchSize,
        });
        continue;
      }
      try {
        result.throughput.push(await measureThroughput(model, data, config, plan));
      } catch (e) {
        result.throughput.push({
          model,
          method,
          status: 'failed',
          reason: message(e),
          batchSize: config.train.batchSize,
        });
      }
    }
  }
}
