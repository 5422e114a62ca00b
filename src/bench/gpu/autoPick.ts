import { BackendSelector } from '../../core/backend/backendSelector';
import type { BackendName, BackendTiming } from '../../core/backend/backendNames';
import { builtinTimingModel, timingModelHasConvolutions } from '../../core/backend/timingModel';
import { DEFAULT_CONFIG } from '../../core/config';
import type { MethodId } from '../../core/train/methods';
import { benchConfig } from '../benchCases';
import type { ModelKind } from '../benchTypes';
import type { AdapterReport } from './gpuCheckTypes';

/** What the lab's own backend choice ("auto") picks for one model on this machine, and from which timings. */
export interface AutoPick {
  model: ModelKind;
  method: MethodId;
  /** The backend auto trains on; null when the selection failed (then `reason` says why). */
  backend: BackendName | null;
  /** The sentence the page shows for the pick. */
  reason: string;
  timings: BackendTiming[];
}

/**
 * Runs the page's selection — the same BackendSelector, timing budget and default method — for each
 * model kind, so the check shows which backend a user of this GPU would train on, not only how
 * fast each one is. A software adapter is left untimed for the CNN, as the bench does (tens of
 * seconds per step would spend the whole budget).
 */
export async function autoPicks(models: ModelKind[], adapter: AdapterReport): Promise<AutoPick[]> {
  const method = DEFAULT_CONFIG.train.method;
  const picks: AutoPick[] = [];
  for (const model of models) {
    const config = benchConfig(model, method);
    const timing = builtinTimingModel(config);
    const convolutional = timingModelHasConvolutions(timing);
    const software = adapter.found && adapter.software && convolutional;
    const untimed = (): Partial<Record<BackendName, string>> =>
      software ? { webgpu: `software adapter (${adapter.software})` } : {};
    const selector = new BackendSelector('auto', {}, undefined, untimed);
    try {
      await selector.fit(convolutional, () => timing);
      const info = selector.info!;
      picks.push({ model, method, backend: info.name, reason: info.reason, timings: info.timings });
    } catch (e) {
      picks.push({ model, method, backend: null, reason: e instanceof Error ? e.message : String(e), timings: [] });
    }
  }
  return picks;
}
