import type { Grid } from '../../core/robust/boundaries';
import { PALETTE } from '../palette';

const hex = (c: string) => [1, 3, 5].map((i) => parseInt(c.slice(i, i + 2), 16));

/** Class regions as pale tints of the class colours, with darker cells where the class changes. */
export function drawGrid(ctx: CanvasRenderingContext2D, grid: Grid, cells: Int32Array, px: number): void {
  const img = ctx.createImageData(px, px);
  for (let py = 0; py < px; py++)
    for (let pxx = 0; pxx < px; pxx++) {
      // Canvas y grows downwards; the plane's y grows upwards.
      const r = Math.min(grid.size - 1, Math.floor(((px - 1 - py) * grid.size) / px));
      const c = Math.min(grid.size - 1, Math.floor((pxx * grid.size) / px));
      const k = cells[r * grid.size + c];
      const edge =
        (c + 1 < grid.size && cells[r * grid.size + c + 1] !== k) ||
        (r + 1 < grid.size && cells[(r + 1) * grid.size + c] !== k);
      const [R, G, B] = hex(PALETTE[k % PALETTE.length]);
      const mix = edge ? 0.55 : 0.22;
      img.data.set([255 + mix * (R - 255), 255 + mix * (G - 255), 255 + mix * (B - 255), 255], 4 * (py * px + pxx));
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
