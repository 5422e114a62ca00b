import type { Grid } from '../../core/robust/boundaries';
import { PALETTE } from '../palette';

const RGB = PALETTE.map((c) => [1, 3, 5].map((i) => parseInt(c.slice(i, i + 2), 16)));

/**
 * Class regions as pale tints of the class colours, with darker cells where the class changes.
 * Writes straight into the pixel buffer: no allocation per pixel (this runs on the main thread).
 */
export function drawGrid(ctx: CanvasRenderingContext2D, grid: Grid, cells: Int32Array, px: number): void {
  const img = ctx.createImageData(px, px);
  const d = img.data;
  const n = grid.size;
  for (let py = 0; py < px; py++) {
    // Canvas y grows downwards; the plane's y grows upwards.
    const r = Math.min(n - 1, Math.floor(((px - 1 - py) * n) / px));
    for (let pxx = 0; pxx < px; pxx++) {
      const c = Math.min(n - 1, Math.floor((pxx * n) / px));
      const k = cells[r * n + c];
      const edge = (c + 1 < n && cells[r * n + c + 1] !== k) || (r + 1 < n && cells[(r + 1) * n + c] !== k);
      const rgb = RGB[k % RGB.length];
      const mix = edge ? 0.55 : 0.22;
      const o = 4 * (py * px + pxx);
      d[o] = 255 + mix * (rgb[0] - 255);
      d[o + 1] = 255 + mix * (rgb[1] - 255);
      d[o + 2] = 255 + mix * (rgb[2] - 255);
      d[o + 3] = 255;
    }
  }
  ctx.putImageData(img, 0, 0);
}

/** Plane coordinates to canvas pixels. */
export function toCanvas(grid: Grid, px: number) {
  return (x: number, y: number): [number, number] => [
    ((x - grid.x0) / (grid.x1 - grid.x0)) * px,
    px - ((y - grid.y0) / (grid.y1 - grid.y0)) * px,
  ];
}
