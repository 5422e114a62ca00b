import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { selectBackend, type BackendChoice, type BackendInfo } from '../core/backend/backendManager';
import { registerWasmConvolutionGradients } from '../core/backend/wasmConvolutionGradients';

// WASM lacks the filter gradient of a convolution; the lab adds it (and a faster input gradient).
registerWasmConvolutionGradients();

/**
 * Node has the WASM and CPU backends (tfjs-node downloads a binary, so it is not used): WASM is
 * about five times faster for the small models here. WebGPU and WebGL are not registered in Node
 * (the GPU check registers WebGPU through Dawn first) and fall through with that reason. `wasmDir` holds the .wasm binaries: the installed package's by
 * default; the GPU check's bundle carries its own copy.
 */
export async function initNodeBackend(choice: BackendChoice, wasmDir = installedWasmDir()): Promise<BackendInfo> {
  setWasmPaths(wasmDir.endsWith('/') ? wasmDir : `${wasmDir}/`);
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  // PROD silences tfjs's banner suggesting tfjs-node. (IS_TEST would too, but it turns on a
  // kernel leak check that trips on the WASM backend's own logSoftmax.)
  tf.env().set('PROD', true);
  return selectBackend(choice);
}

function installedWasmDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
}
