import type { GpuLike } from './adapterReport';

interface DawnModule {
  create(flags: string[]): GpuLike;
  globals: Record<string, unknown>;
}

/**
 * Dawn's Node binding (the `webgpu` npm package) as navigator.gpu, with the WebGPU globals
 * (GPUBufferUsage …) that tfjs-backend-webgpu reads, so the backend registers itself when it is
 * imported afterwards. The package is loaded at run time beside the bundle, not bundled: its
 * native dawn.node is found relative to its own index.js. Never throws: no binding is a reason.
 */
export async function installDawn(flags: string[]): Promise<{ gpu: GpuLike | null; reason: string }> {
  // A specifier in a variable keeps the bundler and the type checker away from the native package.
  const specifier = 'webgpu';
  try {
    const { create, globals } = (await import(specifier)) as DawnModule;
    const gpu = create(flags);
    Object.assign(globalThis, globals);
    const nav = (globalThis as { navigator?: object }).navigator ?? {};
    Object.defineProperty(globalThis, 'navigator', { value: { ...nav, gpu }, configurable: true, writable: true });
    return { gpu, reason: '' };
  } catch (e) {
    return { gpu: null, reason: `Dawn's Node binding did not load: ${e instanceof Error ? e.message : String(e)}` };
  }
}
