/** Names every exported graph uses for itself; an input never takes one of them. */
const RESERVED = ['logits', 'features', 'head'];

/** A name usable as a graph input, layer or tensor name in every format: letters, digits and _. */
export function graphName(raw: string, taken: Set<string>): string {
  let base = raw.replace(/[^A-Za-z0-9_]/g, '_');
  if (!/^[A-Za-z]/.test(base)) base = `x_${base}`;
  let name = base;
  for (let i = 2; taken.has(name); i++) name = `${base}_${i}`;
  taken.add(name);
  return name;
}

/**
 * The exported models' input names, one per modality, from the modalities' names: `view1_fac`
 * stays `view1_fac`, `audio-visual` becomes `audio_visual`, `1st` becomes `x_1st`.
 */
export function inputNames(modalities: string[]): string[] {
  const taken = new Set(RESERVED);
  return modalities.map((m) => graphName(m, taken));
}
