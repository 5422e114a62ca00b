import { useEffect, useRef } from 'react';
import type { ModalityKind } from '../../core/data/summary';

interface Props {
  values: Float32Array;
  shape: number[];
  kind: ModalityKind;
  label: string;
}

/**
 * One sample of one modality drawn on a canvas: an image in grey levels, a spectrogram in a
 * perceptual colour map (time → x, mel bin → y, low frequencies at the bottom), a vector as a
 * strip of coloured cells (blue below the sample's mean, orange above).
 */
export function Thumbnail({ values, shape, kind, label }: Props) {
  const ref = useRef<HTMLCanvasElement>(null);
  const [h, w] = kind === 'vector' ? [1, Math.min(values.length, 240)] : [shape[0], shape[1]];
  useEffect(() => {
    const canvas = ref.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) return;
    const img = ctx.createImageData(w, h);
    const { lo, hi } = range(values);
    for (let r = 0; r < h; r++)
      for (let c = 0; c < w; c++) {
        const src = kind === 'spectrogram' ? (h - 1 - r) * w + c : r * w + c;
        const t = hi > lo ? (values[src] - lo) / (hi - lo) : 0.5;
        const [R, G, B] =
          kind === 'image' ? [255 * t, 255 * t, 255 * t] : kind === 'spectrogram' ? viridis(t) : diverging(t);
        const o = 4 * (r * w + c);
        img.data.set([R, G, B, 255], o);
      }
    ctx.putImageData(img, 0, 0);
  }, [values, w, h, kind]);
  return (
    <canvas
      ref={ref}
      width={w}
      height={h}
      className={`thumb thumb-${kind}`}
      role="img"
      aria-label={label}
      style={kind === 'vector' ? { width: Math.min(240, 12 * w), height: 14 } : { width: 64, height: 64 }}
    />
  );
}

function range(v: Float32Array): { lo: number; hi: number } {
  let lo = Infinity;
  let hi = -Infinity;
  for (const x of v) {
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  }
  return { lo, hi };
}

/** A few stops of viridis, linearly interpolated: readable in grey and for colour-blind viewers. */
const VIRIDIS = [
  [68, 1, 84],
  [59, 82, 139],
  [33, 145, 140],
  [94, 201, 98],
  [253, 231, 37],
];
function viridis(t: number): number[] {
  const x = Math.min(Math.max(t, 0), 1) * (VIRIDIS.length - 1);
  const i = Math.min(Math.floor(x), VIRIDIS.length - 2);
  const f = x - i;
  return VIRIDIS[i].map((v, k) => v + f * (VIRIDIS[i + 1][k] - v));
}

/** Blue (#0072B2) → white → orange (#E69F00), the Okabe–Ito pair. */
function diverging(t: number): number[] {
  const blue = [0, 114, 178];
  const orange = [230, 159, 0];
  const to = t < 0.5 ? blue : orange;
  const f = Math.abs(t - 0.5) * 2;
  return to.map((v) => 255 + f * (v - 255));
}
