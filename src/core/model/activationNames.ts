/** Every activation offered is 1-Lipschitz, so it contributes a factor 1 to the certified bound (spec §5). */
export const ACTIVATIONS = ['relu', 'tanh', 'leakyRelu'] as const;
export type Activation = (typeof ACTIVATIONS)[number];
