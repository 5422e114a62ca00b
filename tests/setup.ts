import * as tf from '@tensorflow/tfjs';
import { beforeAll } from 'vitest';

// tfjs greets Node users on first use; the CPU backend is what the unit tests pin.
beforeAll(async () => {
  tf.env().set('IS_TEST', true);
  await tf.setBackend('cpu');
  await tf.ready();
});
