/**
 * Round axis ticks: steps of 1, 2, 2.5 or 5 times a power of ten, the domain widened to whole
 * steps, so ticks read 0, 0.25, 0.5 … and 0 is a tick whenever the domain spans it.
 */
export interface Ticks {
  domain: [number, number];
  ticks: number[];
  /** Decimals that print every tick exactly. */
  decimals: number;
}

const STEPS = [1, 2, 2.5, 5, 10];

export function niceTicks(min: number, max: number, target = 5): Ticks {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return niceTicks(0, 1, target);
  if (min > max) [min, max] = [max, min];
  if (min === max) {
    const pad = min === 0 ? 1 : Math.abs(min) * 0.1;
    return niceTicks(min - pad, max + pad, target);
  }
  const raw = (max - min) / Math.max(1, target);
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = STEPS.find((s) => s * power >= raw * (1 - 1e-9))! * power;
  const lo = Math.floor(min / step + 1e-9) * step;
  const hi = Math.ceil(max / step - 1e-9) * step;
  const n = Math.round((hi - lo) / step);
  const ticks = Array.from({ length: n + 1 }, (_, i) => clean(lo + i * step));
  const decimals = Math.max(0, ...ticks.map(decimalsOf));
  return { domain: [ticks[0], ticks[n]], ticks, decimals };
}

/** Ticks on a domain that must stay as it is (a [0, 1] accuracy axis): only the steps are rounded. */
export function fixedTicks(min: number, max: number, target = 5): Ticks {
  const t = niceTicks(min, max, target);
  const ticks = t.ticks.filter((v) => v >= min - 1e-9 && v <= max + 1e-9);
  return { domain: [min, max], ticks, decimals: t.decimals };
}

export function formatTick(v: number, decimals: number): string {
  const s = v.toFixed(decimals);
  return s === `-${(0).toFixed(decimals)}` ? s.slice(1) : s;
}

/** Removes float noise (0.1 + 0.2) so that ticks print as typed. */
const clean = (v: number) => Number(v.toPrecision(12));

function decimalsOf(v: number): number {
  const s = String(v);
  if (s.includes('e-')) return Number(s.split('e-')[1]);
  const dot = s.indexOf('.');
  return dot < 0 ? 0 : s.length - dot - 1;
}
