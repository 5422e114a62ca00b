import type { ModelSettings } from '../config';

/**
 * Whether the model built for these modalities has convolutional encoders: the same rule as
 * buildModelSpec (a CNN for every image-shaped modality when the encoder setting asks for one),
 * decided from shapes alone so that no dataset has to be built to know it.
 */
export function modelHasConvolutions(settings: ModelSettings, modalities: { shape: number[] }[]): boolean {
  return settings.encoder === 'cnn-for-images' && modalities.some((m) => m.shape.length >= 2);
}
