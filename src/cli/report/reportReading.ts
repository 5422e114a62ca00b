import { meanOf, meanSd, sdOf, type DatasetReport, type MethodRuns } from './reportData';

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const pts = (x: number) => {
  const t = (100 * x).toFixed(1);
  return t === '-0.0' ? '+0.0' : `${x >= 0 ? '+' : ''}${t}`;
};
const num = (x: number) => (Number.isFinite(x) ? x.toPrecision(3) : '—');

/** The most frequent value (the first of equals). */
function majority(values: string[]): string {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].reduce((a, b) => (b[1] > a[1] ? b : a))[0];
}

/** A difference of means and whether it exceeds the seeds' spread (the larger of the two sds). */
function difference(a: MethodRuns | undefined, b: MethodRuns | undefined, column: string) {
  const d = meanOf(b, column) - meanOf(a, column);
  const noise = Math.max(sdOf(a, column), sdOf(b, column));
  return { d, noise, real: Math.abs(d) > noise };
}

const diffText = (x: { d: number; noise: number; real: boolean }) =>
  `${pts(x.d)} points${x.real ? '' : ` (within the seeds' spread of ${(100 * x.noise).toFixed(1)})`}`;

/** What jt prefers and how the gap between attacking its modalities moves under crmt-jt (spec §10–11). */
export function preferenceFacts(d: DatasetReport) {
  const jt = d.methods.find((m) => m.method === 'jt');
  const crmt = d.methods.find((m) => m.method === 'crmt-jt');
  const branch = (m: string) => meanOf(jt, `branch ${m}`);
  const preferred = d.modalities.reduce((a, b) => (branch(a) >= branch(b) ? a : b));
  const others = d.modalities.filter((m) => m !== preferred);
  const pgd = (r: MethodRuns | undefined, t: string) => meanOf(r, `PGD ${t}`);
  const other = others.reduce((a, b) => (pgd(jt, a) <= pgd(jt, b) ? a : b));
  const gapJt = pgd(jt, other) - pgd(jt, preferred);
  const gapCrmt = pgd(crmt, other) - pgd(crmt, preferred);
  return {
    jt,
    crmt,
    branch,
    preferred,
    others,
    other,
    pgd,
    gapJt,
    gapCrmt,
    widens: Math.abs(gapCrmt) > Math.abs(gapJt),
  };
}

/** The report's reading of one dataset, computed from its numbers so it cannot drift from them. */
export function readingFor(d: DatasetReport): string {
  const by = (m: string) => d.methods.find((r) => r.method === m);
  const ca = `sound CA ε=${d.certEps[0]}`;
  const f = preferenceFacts(d);
  const { jt, crmt, preferred, other } = f;
  if (!jt || !crmt) return '';
  const lines: string[] = [];
  const cheap = f.gapJt > 0;
  lines.push(
    `- **Preference.** Under jt the preferred modality is **${preferred}** (branch accuracy ${pct(f.branch(preferred))} against ` +
      `${f.others.map((m) => `${m} ${pct(f.branch(m))}`).join(', ')}). PGD at ε = ${d.attackEps} on it leaves ` +
      `${pct(f.pgd(jt, preferred))}, on ${other} ${pct(f.pgd(jt, other))}: the preferred modality ` +
      `${cheap ? 'is' : 'is not'} the cheaper one to attack at this ε.`,
  );
  const measured = jt.runs.filter((r) => r.halvingEps);
  if (measured.length) {
    const cheapest = (v: (number | null)[]) => {
      let best = -1;
      v.forEach((e, i) => {
        if (e !== null && (best < 0 || e < v[best]!)) best = i;
      });
      return best < 0 ? 'none' : d.modalities[best];
    };
    const byTotal = majority(measured.map((r) => cheapest(r.halvingEps!)));
    const byFeature = majority(measured.map((r) => cheapest(r.halvingEpsPerFeature!)));
    const bound = majority(jt.runs.map((r) => r.cheapestSound));
    const halving = (i: number, key: 'halvingEps' | 'halvingEpsPerFeature') =>
      num(meanSd(measured.map((r) => r[key]![i]))?.mean ?? NaN);
    lines.push(
      `- **Cheapest to attack, measured** (jt; the ε at which PGD on one modality alone halves accuracy, mean over ` +
        `${measured.length} seeds): ${d.modalities.map((m, i) => `${m} ${halving(i, 'halvingEps')}`).join(', ')} → ` +
        `**${byTotal}**; per feature (ε/√d, for modalities of different dimension): ` +
        `${d.modalities.map((m, i) => `${m} ${halving(i, 'halvingEpsPerFeature')}`).join(', ')} → **${byFeature}**. ` +
        `The sound single-modality radii (a guarantee, not a measurement) name ${bound}` +
        `${bound === byTotal ? ', in agreement.' : ': the bound and the attack disagree, so read the bound only as a floor.'}`,
    );
  }
  lines.push(
    `- **Does CRMT narrow the gap?** Under crmt-jt PGD on ${preferred} leaves ${pct(f.pgd(crmt, preferred))}, on ${other} ` +
      `${pct(f.pgd(crmt, other))}; the gap (attacking ${other} minus attacking ${preferred}) goes from ${(100 * f.gapJt).toFixed(1)} ` +
      `to ${(100 * f.gapCrmt).toFixed(1)} points: ` +
      (cheap
        ? f.widens
          ? 'it **widens** here, against the paper’s claim.'
          : 'CRMT narrows it, as the paper claims.'
        : `jt showed no cheap preferred modality at this ε, so the claim is not tested here${f.widens ? ' (the gap grows in size)' : ''}.`),
  );
  const pairs = (
    [
      ['jt', 'crmt-jt'],
      ['at', 'crmt-at'],
      ['mixup', 'crmt-mix'],
    ] as const
  ).filter(([a, b]) => by(a) && by(b));
  lines.push(
    `- **CRMT against its base** (mean over seeds): ` +
      pairs
        .map(
          ([a, b]) =>
            `${b} vs ${a}: ${ca} ${diffText(difference(by(a), by(b), ca))}, clean ${diffText(difference(by(a), by(b), 'clean'))}, ` +
            `PGD all ${diffText(difference(by(a), by(b), 'PGD all'))}`,
        )
        .join('; ') +
      '.',
  );
  const local = localReading(d, ca);
  if (local) lines.push(local);
  const ablation = ['jt', 'ojt', 'crmt-step1', 'crmt-step2', 'crmt-jt'].filter((m) => by(m));
  const gain = meanOf(crmt, ca) - meanOf(jt, ca);
  const fromHead = meanOf(by('ojt'), ca) - meanOf(jt, ca);
  lines.push(
    `- **Ablation** (${ca}): ${ablation.map((m) => `${m} ${pct(meanOf(by(m), ca))}`).join(', ')}. ` +
      (Math.abs(gain) > sdOf(jt, ca) && gain > 0
        ? `Of crmt-jt's ${(100 * gain).toFixed(1)}-point gain over jt, the orthonormal head alone (ojt) gives ${(100 * fromHead).toFixed(1)}` +
          `${fromHead >= 0.8 * gain ? ': most of it comes from the head, not from the margin term or step 2.' : '.'}`
        : `crmt-jt does not raise it beyond the seeds' spread here.`),
  );
  return lines.join('\n');
}

/** One line per way CRMT (crmt-jt against jt) fails to help on this dataset; empty when it helps on every count. */
export function whereCrmtDoesNotHelp(d: DatasetReport): string[] {
  const f = preferenceFacts(d);
  if (!f.jt || !f.crmt) return [];
  const out: string[] = [];
  const ca = `sound CA ε=${d.certEps[0]}`;
  const clean = difference(f.jt, f.crmt, 'clean');
  const cert = difference(f.jt, f.crmt, ca);
  const pgdAll = difference(f.jt, f.crmt, 'PGD all');
  if (clean.d < -0.01 && clean.real) out.push(`clean accuracy falls ${diffText(clean)}`);
  if (!(cert.d > 0 && cert.real)) out.push(`${ca} moves ${diffText(cert)}`);
  if (!(pgdAll.d > 0 && pgdAll.real)) out.push(`PGD on all modalities at ε = ${d.attackEps} moves ${diffText(pgdAll)}`);
  if (f.gapJt > 0 && f.widens)
    out.push(
      `the gap between attacking ${f.other} and ${f.preferred} widens (${(100 * f.gapJt).toFixed(1)} → ${(100 * f.gapCrmt).toFixed(1)} points)`,
    );
  return out;
}

/**
 * The local (CROWN) bound against the sound one for jt and crmt-jt, and whether CRMT's gain holds
 * under the tighter guarantee; null for sections without local columns.
 */
export function localReading(d: DatasetReport, soundCa: string): string | null {
  const localCa = soundCa.replace(/^sound/, 'local');
  if (!d.columns.some((c) => c.name === localCa)) return null;
  const by = (m: string) => d.methods.find((r) => r.method === m);
  const shown = ['jt', 'crmt-jt'].filter((m) => by(m));
  const ratio = (m: string) => meanOf(by(m), 'median r (local)') / meanOf(by(m), 'median r (sound)');
  const over =
    d.localSamples !== undefined && d.localSamples < d.samples
      ? `${d.localSamples} random test samples`
      : 'every test sample';
  const gain = difference(by('jt'), by('crmt-jt'), localCa);
  return (
    `- **Local bound** (a guarantee too, on ${over} per run): ` +
    shown
      .map(
        (m) =>
          `${m} ${localCa} ${pct(meanOf(by(m), localCa))} (${soundCa} on every sample ${pct(meanOf(by(m), soundCa))}), ` +
          `median radius ${num(ratio(m))}× the sound one`,
      )
      .join('; ') +
    (by('jt') && by('crmt-jt') ? `. crmt-jt vs jt under it: ${diffText(gain)}.` : '.')
  );
}
