import { DataError } from '../core/data/dataError';
import { checkCompressedAudio } from '../core/data/formats/compressedAudio';
import { imageHeaderSize } from '../core/data/formats/imageSize';
import { MEDIA, type MediaDecoders } from '../core/data/formats/mediaPairs';
import { decodeWav } from '../core/data/formats/wav';
import { checkImagePixels } from '../core/data/limits';

const isRiff = (b: Uint8Array) => b.length >= 12 && String.fromCharCode(...b.subarray(0, 4)) === 'RIFF';

/**
 * The worker's decoders: the browser decodes every image format (downscaled as it decodes, so a
 * large photo never sits in memory at full size); audio arrives as WAV, because the page turns
 * MP3 and OGG into WAV with the Web Audio API before posting (it has no worker version). The
 * image's size is read from its header and checked before the browser allocates anything.
 */
export const browserDecoders: MediaDecoders = {
  image: async (name, bytes) => {
    const size = imageHeaderSize(bytes);
    if (!size) throw new DataError(`${name} cannot be decoded as an image (it is not PNG, JPEG or WebP)`);
    checkImagePixels(name, size.width, size.height);
    let bitmap: ImageBitmap;
    try {
      bitmap = await createImageBitmap(new Blob([bytes as BlobPart]), {
        resizeWidth: 2 * MEDIA.imageSize,
        resizeHeight: 2 * MEDIA.imageSize,
        resizeQuality: 'medium',
      });
    } catch {
      throw new DataError(`${name} cannot be decoded as an image (the browser does not recognise its contents)`);
    }
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const ctx = canvas.getContext('2d')!;
    ctx.drawImage(bitmap, 0, 0);
    bitmap.close();
    return {
      width: canvas.width,
      height: canvas.height,
      rgba: ctx.getImageData(0, 0, canvas.width, canvas.height).data,
    };
  },
  audio: async (name, bytes) => {
    if (isRiff(bytes)) return decodeWav(name, bytes);
    // MP3 or OGG the page did not turn into WAV: its headers say why (over a limit, unreadable).
    if (/\.(mp3|ogg)$/i.test(name)) checkCompressedAudio(name, bytes);
    throw new DataError(`${name} cannot be decoded as audio (the browser does not recognise its contents)`);
  },
};
