import { DataError } from '../data/dataError';
import type { EncoderSpec, ModelSpec } from './model';

/**
 * The largest model the lab builds: 16 Mi float32 parameters (64 MiB of weights; Adam's two
 * moments and the gradients make that about 256 MiB while training). Checked from the spec,
 * before any tensor exists, wherever a model is built: the settings panel's Apply, a Config
 * JSON, the CLI, an imported model's config.json and a stored run.
 */
export const MAX_MODEL_PARAMETERS = 16 * 1024 * 1024;

export interface ParameterShape {
  name: string;
  shape: number[];
}

const CNN_KERNEL = 3;
const CNN_POOL = 2;

/** The names and shapes of an encoder's parameters, in the order the encoder creates them. */
function encoderShapes(
  prefix: string,
  inputShape: number[],
  e: EncoderSpec,
): { shapes: ParameterShape[]; out: number } {
  const shapes: ParameterShape[] = [];
  if (e.kind === 'mlp') {
    let fanIn = inputShape.reduce((a, b) => a * b, 1);
    e.widths.forEach((w, i) => {
      shapes.push({ name: `${prefix}.l${i}.weight`, shape: [fanIn, w] }, { name: `${prefix}.l${i}.bias`, shape: [w] });
      fanIn = w;
    });
    return { shapes, out: fanIn };
  }
  let [h, w, c] = [inputShape[0], inputShape[1], inputShape[2] ?? 1];
  e.filters.forEach((f, i) => {
    shapes.push(
      { name: `${prefix}.conv${i}.weight`, shape: [CNN_KERNEL, CNN_KERNEL, c, f] },
      { name: `${prefix}.conv${i}.bias`, shape: [f] },
    );
    [h, w, c] = [Math.floor(h / CNN_POOL), Math.floor(w / CNN_POOL), f];
  });
  shapes.push(
    { name: `${prefix}.dense.weight`, shape: [h * w * c, e.outDim] },
    { name: `${prefix}.dense.bias`, shape: [e.outDim] },
  );
  return { shapes, out: e.outDim };
}

/**
 * Every parameter `createModel(spec)` makes, by name and lab shape, without allocating anything:
 * encoders first, then the head (tests/core/modelSize.test.ts holds it to createModel).
 */
export function parameterShapes(spec: ModelSpec): ParameterShape[] {
  const K = spec.classes;
  const encoders = spec.inputShapes.map((s, m) => encoderShapes(`enc${m}`, s, spec.encoders[m]));
  const dims = encoders.map((e) => e.out);
  const head: ParameterShape[] =
    spec.head.kind === 'crmt'
      ? [
          ...dims.map((d, m) => ({ name: `head.v${m}`, shape: [K, d] })),
          ...dims.map((_, m) => ({ name: `head.a${m}`, shape: [K] })),
          { name: 'head.bias', shape: [K] },
        ]
      : [
          ...dims.map((d, m) => ({ name: `head.w${m}`, shape: [d, K] })),
          ...(spec.head.perModalityBias
            ? dims.map((_, m) => ({ name: `head.bias${m}`, shape: [K] }))
            : [{ name: 'head.bias', shape: [K] }]),
        ];
  return [...encoders.flatMap((e) => e.shapes), ...head];
}

export function parameterCount(spec: ModelSpec): number {
  return parameterShapes(spec).reduce((n, p) => n + p.shape.reduce((a, b) => a * b, 1), 0);
}

/** Refuses a model over MAX_MODEL_PARAMETERS, saying how big it would be and what to shrink. */
export function checkModelSize(spec: ModelSpec): void {
  const n = parameterCount(spec);
  if (n > MAX_MODEL_PARAMETERS)
    throw new DataError(
      `the model would have ${n.toLocaleString('en')} parameters (${Math.round((n * 4) / 2 ** 20).toLocaleString('en')} MiB), ` +
        `over the lab's limit of ${MAX_MODEL_PARAMETERS.toLocaleString('en')}; use narrower or fewer layers`,
    );
}
