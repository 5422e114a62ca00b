import { gridSize, type Grid, type LinearOp } from './boundNetwork';

/**
 * The lab's linear operators three ways, on plain float64 grids (HWC order): forward (z = A·a + b),
 * magnitude (|A|·v + |b|, an upper bound on |z| when |a| ≤ v, and the float-error weight of a
 * step, see floatSlack.ts), and backward on rows of linear coefficients (Λ ↦ Λ·A) restricted to
 * a window. A convolution is its im2col linear map, applied without forming the matrix: a row's
 * support grows by one pixel per 3×3 convolution and doubles per pooling, so the rows that bound
 * one neuron of a convolutional layer stay on its receptive field.
 */

/** A window of a grid: rows [y, y + h), columns [x, x + w), every channel. */
export interface Box {
  y: number;
  x: number;
  h: number;
  w: number;
}

/** `rows` linear functionals on `grid`, zero outside `box`; lambda is [rows, box.h, box.w, grid.c]. */
export interface Block {
  rows: number;
  grid: Grid;
  box: Box;
  lambda: Float64Array;
}

export const fullBox = (g: Grid): Box => ({ y: 0, x: 0, h: g.h, w: g.w });

export const boxSize = (b: Box, g: Grid) => b.h * b.w * g.c;

/** Where grid index j (HWC) sits in a row of the block; −1 outside its box. */
export function boxIndex(blk: Block, j: number): number {
  const { box, grid } = blk;
  const c = grid.c;
  const y = Math.floor(j / c / grid.w) - box.y;
  const x = (Math.floor(j / c) % grid.w) - box.x;
  return y < 0 || y >= box.h || x < 0 || x >= box.w ? -1 : (y * box.w + x) * c + (j % c);
}

export function forwardOp(op: LinearOp, a: Float64Array): Float64Array {
  return apply(op, a, false);
}

/** |A|·v + |b| for v ≥ 0. */
export function magnitudeOp(op: LinearOp, v: Float64Array): Float64Array {
  return apply(op, v, true);
}

const absCache = new WeakMap<LinearOp, { w: Float64Array; b: Float64Array }>();

/** |A| and |b| of an op with weights, computed once per op. */
function absolute(op: Exclude<LinearOp, { kind: 'avgPool2' }>): { w: Float64Array; b: Float64Array } {
  let a = absCache.get(op);
  if (!a) {
    const abs = (v: Float64Array) => {
      const out = new Float64Array(v.length);
      for (let i = 0; i < v.length; i++) out[i] = Math.abs(v[i]);
      return out;
    };
    a = { w: abs(op.kind === 'dense' ? op.weight : op.kernel), b: abs(op.bias) };
    absCache.set(op, a);
  }
  return a;
}

function apply(op: LinearOp, a: Float64Array, abs: boolean): Float64Array {
  const out = new Float64Array(gridSize(op.out));
  if (op.kind === 'avgPool2') {
    const { w, c } = op.in;
    const { h: oh, w: ow } = op.out;
    for (let y = 0; y < oh; y++)
      for (let x = 0; x < ow; x++)
        for (let ch = 0; ch < c; ch++) {
          const i = (2 * y * w + 2 * x) * c + ch;
          out[(y * ow + x) * c + ch] = 0.25 * (a[i] + a[i + c] + a[i + w * c] + a[i + w * c + c]);
        }
    return out;
  }
  const { w, b } = abs ? absolute(op) : { w: op.kind === 'dense' ? op.weight : op.kernel, b: op.bias };
  if (op.kind === 'dense') {
    const n = a.length;
    for (let o = 0; o < out.length; o++) {
      const row = o * n;
      let s = b[o];
      for (let j = 0; j < n; j++) s += w[row + j] * a[j];
      out[o] = s;
    }
    return out;
  }
  const { h, w: width, c: cin } = op.in;
  const cout = op.out.c;
  for (let y = 0; y < h; y++)
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * cout;
      for (let co = 0; co < cout; co++) out[o + co] = b[co];
      for (let ky = 0; ky < 3; ky++) {
        const yy = y + ky - 1;
        if (yy < 0 || yy >= h) continue;
        for (let kx = 0; kx < 3; kx++) {
          const xx = x + kx - 1;
          if (xx < 0 || xx >= width) continue;
          const ia = (yy * width + xx) * cin;
          const ik = (ky * 3 + kx) * cin * cout;
          for (let ci = 0; ci < cin; ci++) {
            const v = a[ia + ci];
            if (v === 0) continue;
            const kr = ik + ci * cout;
            for (let co = 0; co < cout; co++) out[o + co] += w[kr + co] * v;
          }
        }
      }
    }
  return out;
}

/**
 * Per row, acc[r] += Σ over the box of (Λ or |Λ|) · v, v a vector over the whole grid.
 */
export function accumulate(blk: Block, v: Float64Array, acc: Float64Array, abs: boolean): void {
  const { box, grid, rows, lambda } = blk;
  const c = grid.c;
  const span = box.w * c;
  const size = boxSize(box, grid);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let by = 0; by < box.h; by++) {
      const li = r * size + by * span;
      const vi = ((box.y + by) * grid.w + box.x) * c;
      if (abs) for (let j = 0; j < span; j++) s += Math.abs(lambda[li + j]) * v[vi + j];
      else for (let j = 0; j < span; j++) s += lambda[li + j] * v[vi + j];
    }
    acc[r] += s;
  }
}

/** acc[r] += Λ_r · b: the op's offset seen through the rows. */
export function accumulateBias(op: LinearOp, blk: Block, acc: Float64Array): void {
  if (op.kind === 'avgPool2') return;
  if (op.kind === 'dense') return accumulate(blk, op.bias, acc, false);
  const size = boxSize(blk.box, blk.grid);
  const c = blk.grid.c;
  for (let r = 0; r < blk.rows; r++) {
    let s = 0;
    for (let i = 0; i < size; i++) s += blk.lambda[r * size + i] * op.bias[i % c];
    acc[r] += s;
  }
}

/** Λ ↦ Λ·A: rows on the op's output become rows on its input. */
export function backOp(op: LinearOp, blk: Block): Block {
  if (op.kind === 'dense') return backDense(op, blk);
  if (op.kind === 'conv3x3') return backConv(op, blk);
  return backPool(op, blk);
}

function backDense(op: Extract<LinearOp, { kind: 'dense' }>, blk: Block): Block {
  const nIn = gridSize(op.in);
  const nOut = gridSize(op.out);
  if (boxSize(blk.box, blk.grid) !== nOut) throw new Error('backDense: rows must cover the whole output');
  const lambda = new Float64Array(blk.rows * nIn);
  for (let r = 0; r < blk.rows; r++) {
    const dst = r * nIn;
    for (let o = 0; o < nOut; o++) {
      const l = blk.lambda[r * nOut + o];
      if (l === 0) continue;
      const src = o * nIn;
      for (let j = 0; j < nIn; j++) lambda[dst + j] += l * op.weight[src + j];
    }
  }
  return { rows: blk.rows, grid: op.in, box: fullBox(op.in), lambda };
}

function backConv(op: Extract<LinearOp, { kind: 'conv3x3' }>, blk: Block): Block {
  const { h, w, c: cin } = op.in;
  const cout = op.out.c;
  const b = blk.box;
  const y0 = Math.max(0, b.y - 1);
  const x0 = Math.max(0, b.x - 1);
  const box: Box = { y: y0, x: x0, h: Math.min(h, b.y + b.h + 1) - y0, w: Math.min(w, b.x + b.w + 1) - x0 };
  const inSize = box.h * box.w * cin;
  const outSize = b.h * b.w * cout;
  const lambda = new Float64Array(blk.rows * inSize);
  for (let r = 0; r < blk.rows; r++)
    for (let by = 0; by < b.h; by++)
      for (let bx = 0; bx < b.w; bx++) {
        const lo = r * outSize + (by * b.w + bx) * cout;
        const y = b.y + by;
        const x = b.x + bx;
        for (let ky = 0; ky < 3; ky++) {
          const yy = y + ky - 1;
          if (yy < 0 || yy >= h) continue;
          for (let kx = 0; kx < 3; kx++) {
            const xx = x + kx - 1;
            if (xx < 0 || xx >= w) continue;
            const li = r * inSize + ((yy - y0) * box.w + (xx - x0)) * cin;
            const ik = (ky * 3 + kx) * cin * cout;
            for (let ci = 0; ci < cin; ci++) {
              const kr = ik + ci * cout;
              let s = 0;
              for (let co = 0; co < cout; co++) s += blk.lambda[lo + co] * op.kernel[kr + co];
              lambda[li + ci] += s;
            }
          }
        }
      }
  return { rows: blk.rows, grid: op.in, box, lambda };
}

function backPool(op: Extract<LinearOp, { kind: 'avgPool2' }>, blk: Block): Block {
  const c = op.in.c;
  const b = blk.box;
  const box: Box = { y: 2 * b.y, x: 2 * b.x, h: 2 * b.h, w: 2 * b.w };
  const inSize = box.h * box.w * c;
  const outSize = b.h * b.w * c;
  const lambda = new Float64Array(blk.rows * inSize);
  for (let r = 0; r < blk.rows; r++)
    for (let by = 0; by < b.h; by++)
      for (let bx = 0; bx < b.w; bx++)
        for (let ch = 0; ch < c; ch++) {
          const v = 0.25 * blk.lambda[r * outSize + (by * b.w + bx) * c + ch];
          const i = r * inSize + (2 * by * box.w + 2 * bx) * c + ch;
          lambda[i] = v;
          lambda[i + c] = v;
          lambda[i + box.w * c] = v;
          lambda[i + box.w * c + c] = v;
        }
  return { rows: blk.rows, grid: op.in, box, lambda };
}
