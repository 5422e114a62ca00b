import type { BackendInfo } from '../core/backend/backendNames';
import type { BackendResult, BenchEnv, BenchPlan } from './benchTypes';
import { benchConfig, benchData } from './benchCases';
import { measureEvaluation } from './evaluationCost';
import { measureMemory } from './memoryCheck';
import { profileSteps } from './stepProfile';
import { measureThroughput } from './trainingThroughput';

const PROFILE_STEPS = 10;
const NO_CONV_GRAD = 'cannot run (no Conv2DBackpropFilter)';

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * Everything measured on the backend tf is set to now, the same code in Node and in the
 * browser worker. A failing part is recorded with its error; the rest still runs.
 */
export async function benchBackend(env: BenchEnv, info: BackendInfo, plan: BenchPlan): Promise<BackendResult> {
  const result: BackendResult = {
    env,
    backend: info.name,
    status: 'ok',
    reason: info.reason,
    throughput: [],
    memory: [],
    evaluation: [],
    profile: [],
    errors: [],
  };
  const attempt = async (what: string, f: () => Promise<void>) => {
    try {
      await f();
    } catch (e) {
      result.errors.push(`${what}: ${message(e)}`);
    }
  };
  for (const model of plan.models) {
    const data = benchData(benchConfig(model, 'jt'));
    for (const method of plan.methods) {
      const config = benchConfig(model, method);
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
  if (plan.memoryEpochs > 0) {
    const data = benchData(benchConfig('mlp', 'jt'));
    for (const method of plan.memoryMethods)
      await attempt(`memory ${method}`, async () => {
        result.memory.push(
          await measureMemory(data, benchConfig('mlp', method, true), plan.memoryEpochs, plan.memoryBudgetSeconds),
        );
      });
  }
  if (plan.evalSamples > 0)
    for (const method of plan.evalMethods)
      await attempt(`evaluation ${method}`, async () => {
        result.evaluation.push(await measureEvaluation(method, plan.evalSamples));
      });
  if (plan.profile) {
    const data = benchData(benchConfig('mlp', 'jt'));
    for (const method of plan.methods)
      await attempt(`profile ${method}`, async () => {
        result.profile.push(await profileSteps(data, benchConfig('mlp', method), PROFILE_STEPS));
      });
  }
  return result;
}
