import * as tf from '@tensorflow/tfjs-core';
import { yieldToEventLoop } from './yieldToEventLoop';

/**
 * Makes every read-back from the device a point where the worker handles the messages waiting
 * for it. On the WASM and CPU backends a read resolves as a microtask, so a long evaluation (an
 * epoch's certification, a sliced attack) would otherwise hold Pause back until it ends. The
 * value is read at once, as before (a variable reassigned meanwhile cannot change it); only the
 * continuation waits for one turn of the event loop.
 */
export function yieldOnEveryRead(): void {
  const engine = tf.engine();
  const read = engine.read.bind(engine);
  engine.read = (dataId) => {
    const values = read(dataId);
    return values.then(async (v) => {
      await yieldToEventLoop();
      return v;
    });
  };
}
