import { describe, expect, it } from 'vitest';
import { decodePng } from '../../src/core/data/formats/png';
import { encodePng } from '../fixtures/pngEncoder';

describe('decodePng', () => {
  const rgba = Uint8Array.from({ length: 5 * 3 * 4 }, (_, i) => (i * 37) % 256);
  for (const filter of [0, 1, 2])
    it(`round-trips an RGBA image written with row filter ${filter}`, () => {
      const img = decodePng('x.png', encodePng(5, 3, rgba, 4, filter));
      expect([img.width, img.height]).toEqual([5, 3]);
      expect([...img.rgba]).toEqual([...rgba]);
    });

  it('expands grey levels to RGBA', () => {
    const grey = Uint8Array.from([0, 128, 255, 7]);
    const img = decodePng('g.png', encodePng(2, 2, grey, 1));
    expect([...img.rgba.subarray(4, 8)]).toEqual([128, 128, 128, 255]);
  });

  it('names the file when it is not a PNG, or its data is cut short', () => {
    expect(() => decodePng('a.png', new TextEncoder().encode('hello'))).toThrow('a.png is not a PNG file');
    const png = encodePng(5, 3, rgba, 4);
    expect(() => decodePng('b.png', png.subarray(0, 40))).toThrow('b.png is truncated: it ends before its IEND chunk');
    expect(() => decodePng('c.png', png.subarray(0, png.length - 20))).toThrow(
      'c.png is truncated inside its IDAT chunk',
    );
  });
});
