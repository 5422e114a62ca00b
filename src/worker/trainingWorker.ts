/// <reference lib="webworker" />
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../core/backend/backendManager';
import type { WorkerCommand, WorkerEvent } from './protocol';
import { browserPrechecks, webgpuAdapterDescription } from './registerBackends';
import { RunKeeper } from './runs/runKeeper';
import { TrainingSession } from './trainingSession';

const toPage = (e: WorkerEvent) => self.postMessage(e);
const keeper = new RunKeeper(toPage);
// Every event also feeds the run store; the weights of a checkpoint stay here.
const post = (e: WorkerEvent) => {
  keeper.record(e);
  if (e.type !== 'checkpoint') toPage(e);
};
const session = new TrainingSession(post);

async function handle(cmd: WorkerCommand): Promise<void> {
  switch (cmd.type) {
    case 'init': {
      const info = await selectBackend(cmd.backend, browserPrechecks);
      if (info.name === 'webgpu' && webgpuAdapterDescription) info.reason += ` — adapter: ${webgpuAdapterDescription}`;
      if (info.name === 'webgl' && !tf.env().getBool('WEBGL_RENDER_FLOAT32_ENABLED'))
        info.reason += ' — this GPU renders in float16, so results differ slightly from other backends';
      post({ type: 'backend', info });
      return session.load(cmd.config);
    }
    case 'load':
      return session.load(cmd.config);
    case 'train':
      return session.train();
    case 'pause':
      return session.pause();
    case 'step':
      return session.step();
    case 'reset':
      return session.reset();
    case 'upload':
      return session.upload(cmd.files, cmd.name);
    case 'selectModalities':
      return session.selectModalities(cmd.names);
    case 'attack':
      return session.attack(cmd.request);
    case 'boundaries':
      return session.boundaries(cmd.request);
    case 'export':
      return session.export();
    case 'importModel':
      return void session.importModel(cmd.files);
    case 'openRun': {
      const stored = await keeper.read(cmd.id);
      if (!stored?.weights)
        return post({ type: 'dataError', during: 'model', message: `run #${cmd.id} has no stored weights` });
      if (session.importModel(stored.weights, stored.run.config))
        post({ type: 'opened', id: cmd.id, history: stored.run.history });
      return;
    }
    case 'renameRun':
      return keeper.rename(cmd.id, cmd.name);
    case 'deleteRun':
      return keeper.remove(cmd.id);
    case 'runFiles': {
      const stored = await keeper.read(cmd.id);
      if (stored) post({ type: 'runFiles', ...stored });
      return;
    }
  }
}

self.onmessage = (ev: MessageEvent<WorkerCommand>) => {
  handle(ev.data).catch((e: unknown) => {
    post({ type: 'error', message: e instanceof Error ? e.message : String(e) });
    post({ type: 'state', state: 'failed' });
  });
};
