/** Every activation offered is 1-Lipschitz, so it contributes a factor 1 to the certified bound (spec §5). */
export const ACTIVATIONS = ['relu', 'tanh', 'leakyRelu'] as const;
export type Activation = (typeof ACTIVATIONS)[number];

/** The leaky ReLU's slope for x < 0 (also written into exported models). */
export const LEAKY_RELU_SLOPE = 0.1;
