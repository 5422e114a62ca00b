import type { BackendResult } from '../benchTypes';
import type { BenchRequest } from './benchWorker';

/** The bench page's one entry point, called by the Node runner through Playwright. */
function runBackendBench(request: BenchRequest): Promise<BackendResult> {
  const worker = new Worker(new URL('./benchWorker.ts', import.meta.url), { type: 'module' });
  return new Promise<BackendResult>((resolve, reject) => {
    worker.onmessage = (e: MessageEvent<BackendResult>) => resolve(e.data);
    worker.onerror = (e) => reject(new Error(e.message || 'the bench worker failed to start'));
    worker.postMessage(request);
  }).finally(() => worker.terminate());
}

(window as unknown as { runBackendBench: typeof runBackendBench }).runBackendBench = runBackendBench;
document.title = 'CRMT Lab bench (ready)';
