/**
 * The paper's argument told from one demonstration's numbers: every sentence is built from what
 * the runs measured, and says what it sees when the data does not show the expected effect.
 */

/** What the demonstration measures of one trained model, on the validation split. */
export interface MethodResult {
  method: 'jt' | 'crmt-jt' | 'ojt';
  clean: number;
  /** Accuracy of each modality's branch alone. */
  branch: number[];
  /** Accuracy when only modality m is attacked (PGD-ℓ2 at the story's ε). */
  attacked: number[];
  /** Sound certified accuracy of the joint radius at the story's certified ε. */
  certified: number;
  /** Integration weights, mean over classes, per modality (CRMT head); null for a joint head. */
  weights: number[] | null;
}

export interface StoryStep {
  id: 'preference' | 'attack' | 'gap' | 'certified' | 'weights' | 'ablation';
  title: string;
  sentence: string;
}

export interface StoryContext {
  modalities: string[];
  /** PGD-ℓ2 budget of the attacks, and the ε the certified accuracy is read at. */
  eps: number;
  certifiedEps: number;
}

/** Whole percents: the story's sentences and its table print the same numbers. */
export const pct = (x: number) => (Number.isFinite(x) ? `${(100 * x).toFixed(0)}%` : '—');
const pts = (x: number) => `${Math.abs(Math.round(100 * x))} point${Math.abs(Math.round(100 * x)) === 1 ? '' : 's'}`;
/** Differences under one point are read as no difference (the validation split is a few hundred samples). */
const CLEAR = 0.01;

function argmax(v: number[]): number {
  return v.reduce((best, x, i) => (x > v[best] ? i : best), 0);
}

/** The modality jt leans on: its branch alone is the more accurate. */
export function preferred(jt: MethodResult): { p: number; q: number } {
  const p = argmax(jt.branch);
  const q = argmax(jt.branch.map((x, i) => (i === p ? -Infinity : x)));
  return { p, q };
}

export function storyOf(
  c: StoryContext,
  jt: MethodResult,
  crmt: MethodResult | null,
  ojt: MethodResult | null,
): StoryStep[] {
  const { p, q } = preferred(jt);
  const [P, Q] = [c.modalities[p], c.modalities[q]];
  const steps: StoryStep[] = [];
  const lead = jt.branch[p] - jt.branch[q];
  steps.push({
    id: 'preference',
    title: `Which modality jt prefers`,
    sentence:
      lead > CLEAR
        ? `jt prefers ${P}: ${P}'s branch alone gets ${pct(jt.branch[p])} of the validation samples right, ${Q}'s ${pct(jt.branch[q])}, the fused model ${pct(jt.clean)}.`
        : `jt shows no clear preference here: ${P} alone gets ${pct(jt.branch[p])}, ${Q} alone ${pct(jt.branch[q])}, the fused model ${pct(jt.clean)}.`,
  });
  const gapJt = jt.attacked[q] - jt.attacked[p];
  steps.push({
    id: 'attack',
    title: `Attacking the preferred modality`,
    sentence:
      gapJt > CLEAR
        ? `Under PGD-ℓ2 at ε = ${c.eps}, attacking only ${P} leaves jt ${pct(jt.attacked[p])} correct, attacking only ${Q} ${pct(jt.attacked[q])}: the preferred modality is the cheap one to attack (${pts(gapJt)} more lost).`
        : `Under PGD-ℓ2 at ε = ${c.eps}, attacking only ${P} leaves jt ${pct(jt.attacked[p])} correct and attacking only ${Q} ${pct(jt.attacked[q])}: here ${P} is not the cheaper one to attack.`,
  });
  if (!crmt) return steps;
  // The gap is how much the two single-modality attacks differ, whichever is the cheaper.
  const gapCrmt = crmt.attacked[q] - crmt.attacked[p];
  const gain = crmt.attacked[p] - jt.attacked[p];
  const narrower = Math.abs(gapJt) - Math.abs(gapCrmt);
  steps.push({
    id: 'gap',
    title: 'What CRMT changes: the attack gap',
    sentence: `${
      narrower > CLEAR
        ? `crmt-jt narrows the gap from ${pts(gapJt)} to ${pts(gapCrmt)}`
        : narrower < -CLEAR
          ? `crmt-jt widens the gap from ${pts(gapJt)} to ${pts(gapCrmt)}`
          : `crmt-jt leaves the gap about where it was (${pts(gapJt)} under jt, ${pts(gapCrmt)} now)`
    }: attacking ${P} leaves ${pct(crmt.attacked[p])} (jt ${pct(jt.attacked[p])}), attacking ${Q} ${pct(crmt.attacked[q])} (jt ${pct(jt.attacked[q])}), with ${pct(crmt.clean)} clean (jt ${pct(jt.clean)}).`,
  });
  const dCa = crmt.certified - jt.certified;
  steps.push({
    id: 'certified',
    title: 'What CRMT changes: certified accuracy',
    sentence: `The share of validation samples certified (sound bound) at joint ε = ${c.certifiedEps} ${
      dCa > CLEAR ? 'rises' : dCa < -CLEAR ? 'falls' : 'stays about the same'
    }: ${pct(jt.certified)} under jt, ${pct(crmt.certified)} under crmt-jt.`,
  });
  if (crmt.weights) {
    const ratio = (w: number[]) => w[q] / Math.max(w[p], 1e-9);
    const w = crmt.weights;
    const base = ojt?.weights;
    steps.push({
      id: 'weights',
      title: 'What CRMT changes: integration weights',
      sentence: `crmt-jt's integration weights end at ${P} ${w[p].toFixed(2)} and ${Q} ${w[q].toFixed(2)} (mean over classes), so ${Q} counts ${ratio(w).toFixed(2)} as much as ${P}${
        base ? `; in ojt, the same head without the margin term and step 2, ${ratio(base).toFixed(2)}` : ''
      }.`,
    });
  }
  if (!ojt) return steps;
  const ojtGain = ojt.attacked[p] - jt.attacked[p];
  const where =
    gain <= CLEAR
      ? `crmt-jt gains nothing over jt under this attack, so there is no gain to trace`
      : ojtGain < gain / 3
        ? `most of crmt-jt's gain (${pts(gain)}) comes from the margin term and step 2, not from the orthogonal head`
        : ojtGain > (2 * gain) / 3
          ? `most of crmt-jt's gain (${pts(gain)}) comes with the orthogonal head alone`
          : `the orthogonal head gives part of crmt-jt's gain (${pts(ojtGain)} of ${pts(gain)}), the margin term and step 2 the rest`;
  steps.push({
    id: 'ablation',
    title: 'What the ablation says',
    sentence: `ojt — CRMT's head trained without the margin term and step 2 — leaves ${pct(ojt.attacked[p])} under the attack on ${P} (jt ${pct(jt.attacked[p])}, crmt-jt ${pct(crmt.attacked[p])}): ${where}.`,
  });
  return steps;
}
