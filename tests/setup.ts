import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '#tf-setup';
import { beforeAll } from 'vitest';

// tfjs greets Node users on first use; the CPU backend is what the unit tests pin.
beforeAll(async () => {
  tf.env().set('IS_TEST', true);
  await tf.setBackend('cpu');
  await tf.ready();
});
