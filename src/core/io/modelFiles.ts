import { checkUploadSize } from '../data/limits';
import { expandUpload, type UploadFile } from '../data/formats/upload';

/**
 * The files of an exported model as the user picked them (the ZIP the page downloads, or the
 * loose files), by bare name: config.json, model.safetensors, model.json, weights.bin. A file
 * named .zip that is not one is refused, naming it; so is more than an upload may hold.
 */
export function modelFiles(picked: UploadFile[]): Record<string, Uint8Array> {
  const files = expandUpload(picked);
  checkUploadSize(files);
  return Object.fromEntries(files.map((f) => [f.path.split('/').pop()!, f.bytes]));
}
