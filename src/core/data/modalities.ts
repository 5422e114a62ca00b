import { DataError } from './dataError';
import type { Dataset } from './dataset';

/**
 * Each request is a full modality name or a unique part of one (case-insensitive), so `fac`
 * finds `view1_fac`; an exact name wins even when it is also part of another name.
 */
export function resolveModalities(available: string[], requested: string[]): string[] {
  const list = available.join(', ');
  const out: string[] = [];
  for (const raw of requested) {
    const want = raw.trim();
    let hit = available.find((a) => a === want);
    if (hit === undefined) {
      const lower = want.toLowerCase();
      const matches = want === '' ? [] : available.filter((a) => a.toLowerCase().includes(lower));
      if (matches.length === 0) throw new DataError(`No modality matches "${raw}"; available: ${list}`);
      if (matches.length > 1) {
        throw new DataError(`"${raw}" matches several modalities (${matches.join(', ')}); available: ${list}`);
      }
      hit = matches[0];
    }
    if (out.includes(hit)) throw new DataError(`Modality ${hit} is requested twice`);
    out.push(hit);
  }
  return out;
}

/** The named modalities (full names or unique parts) in the given order; labels and split are shared, not copied. */
export function selectModalities(d: Dataset, names: string[]): Dataset {
  const all = d.modalities.map((m) => m.name);
  const picked = resolveModalities(all, names);
  if (picked.length < 2) {
    throw new DataError(`Choose at least two modalities (got ${picked.length}); available: ${all.join(', ')}`);
  }
  const idx = picked.map((name) => all.indexOf(name));
  const audio = d.audio
    ? Object.fromEntries(idx.flatMap((i, j) => (d.audio![i] ? [[j, d.audio![i]]] : [])))
    : undefined;
  return { ...d, modalities: idx.map((i) => d.modalities[i]), features: idx.map((i) => d.features[i]), audio };
}
