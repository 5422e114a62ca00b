import { toMarkdown } from './compareTable';
import { formatCell } from './reportColumns';
import { meanOf, meanSd, type DatasetReport, type MethodRuns, type ReportData } from './reportData';
import { readingFor, whereCrmtDoesNotHelp } from './reportReading';

/** mean ± sd over seeds, each printed as the single-run cell is. */
function statCell(kind: 'accuracy' | 'radius', values: (number | null)[]): string {
  const s = meanSd(values);
  if (!s) return '—';
  return s.n > 1 ? `${formatCell(kind, s.mean)} ± ${formatCell(kind, s.sd)}` : formatCell(kind, s.mean);
}

/** A column's header: the local kind's say on how many test samples, when they are a sample of the split. */
export function columnHeader(
  c: DatasetReport['columns'][number],
  d: Pick<DatasetReport, 'samples' | 'localSamples'>,
): string {
  return c.bound === 'local' && d.localSamples !== undefined && d.localSamples < d.samples
    ? `${c.name} (${d.localSamples} samples)`
    : c.name;
}

export function methodTable(d: DatasetReport, methods: MethodRuns[], label = (m: string) => m): string {
  return toMarkdown({
    header: ['method', ...d.columns.map((c) => columnHeader(c, d))],
    rows: methods.map((m) => [
      label(m.method),
      ...d.columns.map((c) =>
        statCell(
          c.kind,
          m.runs.map((r) => r.cells[c.name] ?? null),
        ),
      ),
    ]),
  });
}

function strengthSection(d: DatasetReport, strongAttack: string): string {
  if (!d.strength.length) return '';
  const worst = Math.max(...d.strength.map((s) => s.lab - s.strong));
  const rows = d.strength.map((s) => [
    `${s.method} (seed ${s.seed})`,
    s.target,
    formatCell('accuracy', s.lab),
    formatCell('accuracy', s.strong),
    (100 * (s.lab - s.strong)).toFixed(1),
  ]);
  return (
    `**Attack strength** at ε = ${d.attackEps}: the default PGD against ${strongAttack}. ` +
    `The largest overstatement of robust accuracy is ${(100 * worst).toFixed(1)} points` +
    `${worst <= 0.01 ? ' (within the 1-point goal).' : ' — above the 1-point goal: read the PGD columns as upper bounds.'}\n\n` +
    toMarkdown({ header: ['model', 'target', 'default PGD', 'strong PGD', 'difference (points)'], rows })
  );
}

function beforeSection(d: DatasetReport): string {
  if (!d.before.length) return '';
  const ca = `sound CA ε=${d.certEps[0]}`;
  const cols = ['clean', 'PGD all', ca];
  const rows = d.before.flatMap((b) => {
    const now = d.methods.find((m) => m.method === b.method);
    return [
      [
        `${b.method}, before`,
        ...cols.map((c) =>
          statCell(
            'accuracy',
            b.runs.map((r) => r.cells[c] ?? null),
          ),
        ),
      ],
      [`${b.method}, now`, ...cols.map((c) => statCell('accuracy', now?.runs.map((r) => r.cells[c] ?? null) ?? []))],
    ];
  });
  const moved = d.before
    .map((b) => {
      const now = d.methods.find((m) => m.method === b.method);
      return `${b.method} clean ${(100 * (meanOf(now, 'clean') - meanOf(b, 'clean'))).toFixed(1)} points`;
    })
    .join(', ');
  return (
    `**Model selection.** Before: every phase kept its last epoch and step 2 fit the integration weights on the ` +
    `training split; now: each phase keeps its best epoch by validation accuracy and step 2 fits on the validation ` +
    `split. Change: ${moved}.\n\n` +
    toMarkdown({ header: ['run', ...cols], rows })
  );
}

/** What the section's local columns cover, when it has them. */
function localLine(d: DatasetReport): string {
  if (!d.columns.some((c) => c.bound === 'local')) return '';
  return d.localSamples !== undefined && d.localSamples < d.samples
    ? ` Local (CROWN) columns: ${d.localSamples} random test samples per run, drawn with the run's seed (so the spread over seeds includes the sample's).`
    : ' Local (CROWN) columns: every test sample.';
}

function datasetSection(d: DatasetReport, r: ReportData): string {
  if (d.skipped) return `## ${d.data}\n\nSkipped: ${d.skipped}.\n`;
  const units = d.featureStd
    ? ` One standardised unit is ${d.modalities.map((_, i) => `${formatCell('radius', d.featureStd!.min[i])}–${formatCell('radius', d.featureStd!.rms[i])}`).join(' and ')} raw units (smallest–RMS feature std of ${d.modalities.join(', ')}).`
    : '';
  const made =
    `commit \`${d.commit.slice(0, 12)}\`${d.dirty ? ' (with uncommitted changes)' : ''}` +
    (d.minutes === null ? '' : `, ${d.minutes.toFixed(1)} min`);
  return [
    `## ${d.name} (${d.modalities.join(' + ')})`,
    `_Generated from ${made}._`,
    `${d.samples} test samples; attacks at ε = ${d.attackEps} (joint ℓ2, standardised units); sound certified accuracy ` +
      `of the joint radius; median radius in standardised units.${localLine(d)}${units}`,
    methodTable(d, d.methods),
    readingFor(d),
    beforeSection(d),
    strengthSection(d, r.strongAttack),
  ]
    .filter(Boolean)
    .join('\n\n');
}

/** docs/RESULTS.md from docs/results.json: every sentence and number derived from the data. */
export function reportMarkdown(r: ReportData): string {
  const present = r.datasets.filter((d) => !d.skipped);
  const withLocal = present.filter((d) => d.columns.some((c) => c.bound === 'local'));
  const anyLocal = withLocal.length > 0;
  const localColumns =
    `; local (CROWN) certified accuracy at the same ε and median local radius: also a guarantee, from linear bound ` +
    `propagation around each sample (docs/LOCAL-BOUND.md), never below the sound radius and often well above it, ` +
    `so read it as the tighter guarantee; it is computed on the random test samples each section names` +
    (withLocal.length < present.length ? ` (sections generated before it have no local columns)` : '');
  const noHelp = present
    .map((d) => ({ d, lines: whereCrmtDoesNotHelp(d) }))
    .filter((x) => x.lines.length)
    .map((x) => `- **${x.d.name}**: ${x.lines.join('; ')}.`);
  return `# Reproduction report

Generated by \`npm run results\` from commit \`${r.commit.slice(0, 12)}\`${r.dirty ? ' (with uncommitted changes)' : ''} on ${r.backend} in Node
(each section names the commit it was generated from and what it took; \`npm run results -- --datasets NAME\`
regenerates one section and keeps the others).
${r.settings}. Seeds ${r.seeds.join(', ')}: each cell is the mean ± sample standard deviation over them. A difference
smaller than the spread is noise. \`npm test\` re-runs two rows of it (jt and crmt-jt on ${r.datasets[0]?.name ?? 'the first dataset'}, seed ${r.seeds[0]}) and fails when they differ.

Units: every ε and radius is an ℓ2 norm of **standardised** inputs (each feature (x − mean)/std of the training split);
each section gives the raw units one standardised unit stands for. Columns: test accuracy in % — clean; each branch alone
(argmax of its uni-modal logits); FGM-ℓ2 and PGD-ℓ2 (${r.labAttack}) on each modality and on all;
missing modality (replaced by its training mean); sound (guaranteed) certified accuracy of the joint radius at two ε;
median sound radius (0 for misclassified samples)${anyLocal ? localColumns : ''}. Methods: ${Object.entries(
    r.methodLabels,
  )
    .map(([m, l]) => `\`${m}\` ${l}`)
    .join('; ')}.

## Where CRMT does not help

crmt-jt against jt: where it costs clean accuracy beyond the seeds' spread, or does not raise sound certified
accuracy or accuracy under PGD beyond it, or widens the gap between attacking the preferred and the other modality:

${noHelp.length ? noHelp.join('\n') : '- Nowhere on these datasets.'}

${r.datasets.map((d) => datasetSection(d, r)).join('\n\n')}
`;
}
