/**
 * tfjs-core alone registers neither the gradients nor the chained tensor methods (x.slice(…)); the
 * all-in-one @tensorflow/tfjs does, along with the Layers API the lab does not use. In the
 * browser (the worker's bundle) the lab registers just these two from tfjs-core's ES modules.
 * Imported as '#tf-setup' (package.json "imports"), which picks this file under the "browser"
 * condition and tfSetup.node.ts elsewhere.
 */
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops';
