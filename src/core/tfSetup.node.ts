/**
 * In Node (CLI, unit tests, the library) tfjs-core's ES modules cannot be loaded one by one (their
 * relative imports have no file extensions), so the gradients and the chained tensor methods come
 * from the all-in-one package's Node bundle, which registers both. Bundle size does not matter
 * here; the browser gets tfSetup.browser.ts.
 */
// eslint-disable-next-line no-restricted-imports
import '@tensorflow/tfjs';
