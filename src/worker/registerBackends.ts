import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import type { Prechecks } from '../core/backend/backendManager';

// The binaries are bundled and served from our own origin: the lab works offline.
setWasmPaths({
  'tfjs-backend-wasm.wasm': wasmPlain,
  'tfjs-backend-wasm-simd.wasm': wasmSimd,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded,
});
// Threaded WASM hangs in a minified build and gains nothing on small models.
tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);

interface GpuAdapterLike {
  info?: { vendor?: string; architecture?: string; description?: string };
}
interface GpuLike {
  requestAdapter(): Promise<GpuAdapterLike | null>;
}

/** What the browser can tell us about its WebGPU adapter, e.g. "google swiftshader". */
export let webgpuAdapterDescription = '';

export const browserPrechecks: Prechecks = {
  webgpu: async () => {
    const gpu = (navigator as unknown as { gpu?: GpuLike }).gpu;
    if (!gpu)
      return 'this browser exposes no WebGPU (navigator.gpu is missing; Chromium on Linux needs --enable-unsafe-webgpu)';
    const adapter = await gpu.requestAdapter();
    if (!adapter) return 'WebGPU is present but offers no adapter (no usable GPU or driver)';
    const i = adapter.info ?? {};
    webgpuAdapterDescription = [i.vendor, i.architecture, i.description].filter(Boolean).join(' ');
    return null;
  },
  webgl: async () => {
    if (typeof OffscreenCanvas === 'undefined') return 'OffscreenCanvas is missing in this worker';
    const gl = new OffscreenCanvas(1, 1).getContext('webgl2');
    return gl ? null : 'no WebGL2 context can be created';
  },
};
