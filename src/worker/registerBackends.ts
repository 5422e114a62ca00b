import * as tf from '@tensorflow/tfjs-core';
// The lab uses tfjs's core ops and optimisers only: the backends are registered one by one, and the
// Layers API, the converter and tfjs-data of the all-in-one @tensorflow/tfjs stay out of the bundle.
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-webgpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import type { Prechecks } from '../core/backend/backendManager';
import type { BackendName } from '../core/backend/backendNames';
import { rasteriser } from '../core/backend/softwareRenderer';
import { registerWasmConvolutionGradients } from '../core/backend/wasmConvolutionGradients';

// The binaries are bundled and served from our own origin: the lab works offline.
// Threaded WASM hangs in a minified build and gains nothing on small models, so it is switched off
// and its binary (435 kB) is not bundled: the backend loads the SIMD or the plain one. setWasmPaths
// wants an entry for every binary; the threaded one names no file, so a load would fail loudly.
tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
setWasmPaths({
  'tfjs-backend-wasm.wasm': wasmPlain,
  'tfjs-backend-wasm-simd.wasm': wasmSimd,
  'tfjs-backend-wasm-threaded-simd.wasm': 'threaded-simd-wasm-is-not-bundled',
});
// WASM lacks the filter gradient of a convolution; the lab adds it (and a faster input gradient).
registerWasmConvolutionGradients();

interface GpuAdapterLike {
  info?: { vendor?: string; architecture?: string; description?: string; isFallbackAdapter?: boolean };
  isFallbackAdapter?: boolean;
}
interface GpuLike {
  requestAdapter(): Promise<GpuAdapterLike | null>;
}

/** What the browser can tell us about its WebGPU adapter, e.g. "google swiftshader". */
export let webgpuAdapterDescription = '';

/**
 * GPU backends that run on a software rasteriser, by the rasteriser's name (swiftshader,
 * llvmpipe): filled in by the prechecks. Such a "GPU" computes on this machine's CPU, so auto does
 * not spend seconds compiling its shaders to time it; it can still be forced.
 */
export const softwareGpus: Partial<Record<BackendName, string>> = {};

export const browserPrechecks: Prechecks = {
  webgpu: async () => {
    const gpu = (navigator as unknown as { gpu?: GpuLike }).gpu;
    if (!gpu)
      return 'this browser exposes no WebGPU (navigator.gpu is missing; Chromium on Linux needs --enable-unsafe-webgpu)';
    const adapter = await gpu.requestAdapter();
    if (!adapter) return 'WebGPU is present but offers no adapter (no usable GPU or driver)';
    const i = adapter.info ?? {};
    webgpuAdapterDescription = [i.vendor, i.architecture, i.description].filter(Boolean).join(' ');
    if (i.isFallbackAdapter || adapter.isFallbackAdapter || rasteriser(webgpuAdapterDescription))
      softwareGpus.webgpu = rasteriser(webgpuAdapterDescription) ?? 'fallback adapter';
    return null;
  },
  webgl: async () => {
    if (typeof OffscreenCanvas === 'undefined') return 'OffscreenCanvas is missing in this worker';
    const gl = new OffscreenCanvas(1, 1).getContext('webgl2');
    if (!gl) return 'no WebGL2 context can be created';
    const debug = gl.getExtension('WEBGL_debug_renderer_info');
    const renderer = String(gl.getParameter(debug ? debug.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
    const software = rasteriser(renderer);
    if (software) softwareGpus.webgl = software;
    return null;
  },
};
