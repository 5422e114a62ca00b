import { rasteriser } from '../../core/backend/softwareRenderer';
import type { AdapterInfo, AdapterReport } from './gpuCheckTypes';

/** The part of navigator.gpu the check uses (Dawn's `create()` in Node, the browser's elsewhere). */
export interface GpuLike {
  requestAdapter(options?: { powerPreference?: 'high-performance' | 'low-power' }): Promise<AdapterLike | null>;
}
export interface AdapterLike {
  info?: Partial<AdapterInfo>;
  /** Older implementations put the flag on the adapter rather than on its info. */
  isFallbackAdapter?: boolean;
}

export const NO_ADAPTER =
  'no GPU adapter: Dawn found no WebGPU adapter (no Vulkan loader libvulkan.so.1, or no Vulkan driver (ICD) for this GPU)';

const field = (v: string) => v.trim() || 'not reported';

/** One line naming vendor, architecture, device and driver description, and whether it is software. */
export function formatAdapter(info: AdapterInfo): string {
  const software = softwareName(info);
  return (
    `vendor ${field(info.vendor)}, architecture ${field(info.architecture)}, device ${field(info.device)}, ` +
    `driver ${field(info.description)}` +
    (software ? ` (software: ${software}, computes on the CPU)` : '')
  );
}

/** The rasteriser's name, "fallback adapter" for an unnamed software one, or null for hardware. */
export function softwareName(info: AdapterInfo): string | null {
  const named = rasteriser([info.vendor, info.architecture, info.device, info.description].join(' '));
  return named ?? (info.isFallbackAdapter ? 'fallback adapter' : null);
}

/** GPUAdapterInfo's fields as plain strings (the object's fields are getters on a native class). */
export function adapterInfo(adapter: AdapterLike): AdapterInfo {
  const i = adapter.info ?? {};
  return {
    vendor: String(i.vendor ?? ''),
    architecture: String(i.architecture ?? ''),
    device: String(i.device ?? ''),
    description: String(i.description ?? ''),
    isFallbackAdapter: Boolean(i.isFallbackAdapter ?? adapter.isFallbackAdapter ?? false),
  };
}

/**
 * The adapter tfjs-backend-webgpu will get: it asks navigator.gpu for a high-performance one, so
 * this asks the same. Never throws: no binding, no adapter or an error is a report saying so.
 */
export async function probeAdapter(gpu: GpuLike | null, whyNoBinding = 'no WebGPU binding'): Promise<AdapterReport> {
  if (!gpu) return { found: false, reason: whyNoBinding };
  try {
    const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
    if (!adapter) return { found: false, reason: NO_ADAPTER };
    const info = adapterInfo(adapter);
    return { found: true, info, software: softwareName(info), text: formatAdapter(info) };
  } catch (e) {
    return {
      found: false,
      reason: `requesting a WebGPU adapter failed: ${e instanceof Error ? e.message : String(e)}`,
    };
  }
}
