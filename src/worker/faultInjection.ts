import * as tf from '@tensorflow/tfjs-core';
import type { MediaDecoders } from '../core/data/formats/mediaPairs';

/**
 * Failures on purpose, for the browser tests of failure containment: the worker honours them only
 * when the page was opened with ?faults (init's `faults`); otherwise they are ignored.
 */
export type InjectedFault =
  /** A kernel of the training step throws after `after` more calls: an error, or an out-of-memory. */
  | { kind: 'kernel'; after: number; error: 'throw' | 'oom' }
  /** The next image the upload decodes cannot be allocated. */
  | { kind: 'decode' }
  /** The worker ends itself, as a crashed worker would (no error reaches the page). */
  | { kind: 'close' }
  /** An error that no handler catches. */
  | { kind: 'uncaught' };

/** The kernel every dense layer runs, forward and backward. */
const KERNEL = 'BatchMatMul';

const outOfMemory = () => new RangeError('WebAssembly.Memory.grow(): Maximum memory size exceeded (injected)');

export class FaultInjector {
  private decodeFails = false;
  /** Inside the synchronous start of a training chunk, where its optimiser steps run. */
  private stepping = false;

  inject(f: InjectedFault): void {
    switch (f.kind) {
      case 'kernel':
        return failKernel(
          f.after,
          f.error === 'oom' ? outOfMemory() : new Error(`${KERNEL} failed (injected)`),
          () => this.stepping,
        );
      case 'decode':
        this.decodeFails = true;
        return;
      case 'close':
        return self.close();
      case 'uncaught':
        setTimeout(() => {
          throw new Error('an uncaught error in the training worker (injected)');
        });
        return;
    }
  }

  /**
   * Runs the start of a training chunk (Trainer.advance up to its first await: every optimiser
   * step of the chunk) marked as training, so a kernel fault counts the training step's kernels
   * only, not those of a view of the model drawn between two chunks.
   */
  readonly training = <T>(start: () => T): T => {
    this.stepping = true;
    try {
      return start();
    } finally {
      this.stepping = false;
    }
  };

  /** `decoders`, except that an image decode fails while a decode fault is armed. */
  decoders(decoders: MediaDecoders): MediaDecoders {
    return {
      ...decoders,
      image: (name, bytes) => {
        if (!this.decodeFails) return decoders.image(name, bytes);
        this.decodeFails = false;
        return Promise.reject(new RangeError('Array buffer allocation failed (injected)'));
      },
    };
  }
}

/**
 * Replaces the active backend's kernel by one that throws once after `after` calls made while
 * `counts()` (in a training step), then puts it back.
 */
function failKernel(after: number, error: Error, counts: () => boolean): void {
  const backend = tf.getBackend();
  const original = tf.getKernel(KERNEL, backend);
  if (!original) throw new Error(`${backend} has no ${KERNEL} kernel to fail`);
  let left = after;
  const restore = () => {
    tf.unregisterKernel(KERNEL, backend);
    tf.registerKernel(original);
  };
  tf.unregisterKernel(KERNEL, backend);
  tf.registerKernel({
    ...original,
    kernelFunc: (args) => {
      if (!counts() || --left > 0) return original.kernelFunc(args);
      restore();
      throw error;
    },
  });
}
