/// <reference lib="webworker" />
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend, type BackendName } from '../../core/backend/backendManager';
import { browserPrechecks, webgpuAdapterDescription } from '../../worker/registerBackends';
import { benchBackend } from '../backendBench';
import { emptyBackendResult, type BackendResult, type BenchPlan } from '../benchTypes';

export interface BenchRequest {
  backend: BackendName;
  plan: BenchPlan;
}

/**
 * One backend per worker, set up as the lab's training worker does (same registration, WASM
 * paths and prechecks). A forced backend that fell back to another is reported, not measured.
 */
self.onmessage = async (e: MessageEvent<BenchRequest>) => {
  const { backend, plan } = e.data;
  let result: BackendResult;
  try {
    const info = await selectBackend(backend, browserPrechecks);
    if (info.name !== backend) {
      result = emptyBackendResult('browser', backend, 'unavailable', info.reason);
    } else {
      result = await benchBackend('browser', info, plan);
      if (backend === 'webgpu') result.adapter = webgpuAdapterDescription;
      if (backend === 'webgl' && !tf.env().getBool('WEBGL_RENDER_FLOAT32_ENABLED')) result.adapter = 'float16 render';
    }
  } catch (err) {
    result = emptyBackendResult('browser', backend, 'failed', err instanceof Error ? err.message : String(err));
  }
  self.postMessage(result);
};
