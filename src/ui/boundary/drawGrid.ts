import type { Grid } from '../../core/robust/boundaries';
import { classColour } from '../palette';

const rgbCache: number[][] = [];
const rgbOf = (k: number) => (rgbCache[k] ??= [1, 3, 5].map((i) => parseInt(classColour(k).slice(i, i + 2), 16)));

/**
 * Class regions as pale tints of the class colours, with darker cells where the class changes.
 * One pixel per grid cell, scaled up without smoothing: the work is the grid's size (64 × 64),
 * not the canvas's, since this runs on the main thread.
 */
export function drawGrid(ctx: CanvasRenderingContext2D, grid: Grid, cells: Int32Array, px: number): void {
  const n = grid.size;
  const cellsImage = new ImageData(n, n);
  const d = cellsImage.data;
  for (let r = 0; r < n; r++)
    for (let c = 0; c < n; c++) {
      const k = cells[r * n + c];
      const edge = (c + 1 < n && cells[r * n + c + 1] !== k) || (r + 1 < n && cells[(r + 1) * n + c] !== k);
      const rgb = rgbOf(k);
      const mix = edge ? 0.55 : 0.22;
      // Canvas y grows downwards; the plane's y grows upwards.
      const o = 4 * ((n - 1 - r) * n + c);
      d[o] = 255 + mix * (rgb[0] - 255);
      d[o + 1] = 255 + mix * (rgb[1] - 255);
      d[o + 2] = 255 + mix * (rgb[2] - 255);
      d[o + 3] = 255;
    }
  const small = new OffscreenCanvas(n, n);
  small.getContext('2d')!.putImageData(cellsImage, 0, 0);
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(small, 0, 0, px, px);
}

/** Plane coordinates to canvas pixels. */
export function toCanvas(grid: Grid, px: number) {
  return (x: number, y: number): [number, number] => [
    ((x - grid.x0) / (grid.x1 - grid.x0)) * px,
    px - ((y - grid.y0) / (grid.y1 - grid.y0)) * px,
  ];
}
