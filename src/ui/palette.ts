/**
 * The lab's visual vocabulary, one meaning per colour and per line style on every chart, so a
 * reader learns it once (colour-blind-safe: Okabe–Ito for modalities, Paul Tol's muted set for
 * classes and runs, and line styles that do not rely on colour at all).
 */

/** Okabe–Ito, modality m gets MODALITY_COLOURS[m] wherever it appears. */
export const MODALITY_COLOURS = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00'];
/** The fused model, or every modality attacked at once. */
export const FUSED_COLOUR = '#1d2430';

export const modalityColour = (m: number): string => MODALITY_COLOURS[m % MODALITY_COLOURS.length];

/** Classes (decision regions, class balance): Paul Tol's muted scheme, then hues around the wheel. */
const CLASS_BASE = ['#CC6677', '#332288', '#DDCC77', '#117733', '#88CCEE', '#882255', '#44AA99', '#999933', '#AA4499'];
export function classColour(k: number): string {
  if (k < CLASS_BASE.length) return CLASS_BASE[k];
  const hue = Math.round((k * 137.508) % 360);
  return hslToHex(hue, 45, k % 2 ? 40 : 60);
}

/** The local (CROWN) kind where a chart tells kinds apart by colour (the radius histogram). */
export const LOCAL_COLOUR = '#882255';

/** Runs overlaid (not modalities): greys and Tol's dark colours, never a modality's colour. */
const RUN_COLOURS = ['#1d2430', '#882255', '#117733', '#332288', '#999933', '#7f7f7f', '#44AA99', '#AA4499'];
export const runColour = (i: number): string => RUN_COLOURS[i % RUN_COLOURS.length];

/**
 * Line styles: what a line's dash says, on every chart. Validation numbers (most charts) and sound
 * bounds are solid; training numbers long-dashed; local bounds short-dashed; estimated bounds
 * dotted; the clean reference of an attack dash-dotted.
 */
export const LINE_STYLE = {
  validation: { dash: '', label: 'validation' },
  train: { dash: '7 4', label: 'training' },
  sound: { dash: '', label: 'sound (a guarantee)' },
  local: { dash: '5 2', label: 'local (CROWN) — a guarantee' },
  estimated: { dash: '1.5 3', label: 'estimated τ (not a guarantee)' },
  clean: { dash: '8 3 2 3', label: 'clean (no attack)' },
} as const;
export type LineStyle = keyof typeof LINE_STYLE;

function hslToHex(h: number, s: number, l: number): string {
  const a = (s / 100) * Math.min(l / 100, 1 - l / 100);
  const f = (n: number) => {
    const k = (n + h / 30) % 12;
    const c = l / 100 - a * Math.max(-1, Math.min(k - 3, 9 - k, 1));
    return Math.round(255 * c)
      .toString(16)
      .padStart(2, '0');
  };
  return `#${f(0)}${f(8)}${f(4)}`;
}
