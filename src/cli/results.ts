import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { DEFAULT_CONFIG } from '../core/config';
import { METHOD_IDS, METHODS, isMethodId, type MethodId } from '../core/train/methods';
import { commandLine } from './commandLine';
import { isBuiltinData } from './experimentOptions';
import { initNodeBackend } from './nodeBackend';
import { formatSeconds, ProgressReporter, secondsLeft } from './progress';
import { reportColumns } from './report/reportColumns';
import {
  REPORT_FORMAT,
  REPORT_VERSION,
  type DatasetReport,
  type MethodRuns,
  type ReportData,
} from './report/reportData';
import { reportMarkdown } from './report/reportMarkdown';
import { describeAttack } from '../core/robust/describeAttack';
import {
  COST_METHODS,
  loadReportDataset,
  REPORT_DATASETS,
  REPORT_LOCAL_SAMPLES,
  runReportRow,
  STRONG_ATTACK,
} from './report/reportRuns';
import { UsageError, runMain } from './usageError';

const COMMAND = 'npm run results';

const USAGE = `Usage: npm run results [-- --seeds N] [--out FILE] [--json FILE]

Trains every method on every dataset below with N seeds (1…N), evaluates each on its test split
and writes the reproduction report (about 15 minutes per seed on 2 cores), with the numbers in
JSON beside it: ${REPORT_DATASETS.map((d) => d.data).join(', ')}. jt and crmt-jt are also trained
under the defaults before model selection, and their first seed attacked by a 100-step PGD with
10 runs to check the default attack's strength.

  --seeds N     seeds per cell (default 3)
  --methods A,B only these methods (default all)
  --datasets A,B only these datasets, by the names above (default all); when the --json file
                exists, these sections are replaced in it and the others kept as they are
  --out FILE    the report (default docs/RESULTS.md)
  --json FILE   its numbers (default docs/results.json)
  -h, --help    print this help and exit`;

function gitCommit(): { commit: string; dirty: boolean } {
  try {
    const commit = execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
    // The report's own files do not count: regenerating one section rewrites them.
    const dirty =
      execFileSync(
        'git',
        ['status', '--porcelain', '--untracked-files=no', '--', '.', ':!docs/RESULTS.md', ':!docs/results.json'],
        { encoding: 'utf8' },
      ).trim() !== '';
    return { commit, dirty };
  } catch {
    return { commit: 'unknown', dirty: true };
  }
}

/** `npm run results`: every method on every dataset over seeds, written to docs/RESULTS.md and docs/results.json. */
async function main(): Promise<void> {
  const cl = commandLine(process.argv.slice(2), {
    options: {
      out: { type: 'string' },
      json: { type: 'string' },
      seeds: { type: 'string' },
      methods: { type: 'string' },
      datasets: { type: 'string' },
    },
    usage: USAGE,
  });
  if (!cl) return;
  const out = (cl.values.out as string | undefined) ?? 'docs/RESULTS.md';
  const jsonOut = (cl.values.json as string | undefined) ?? 'docs/results.json';
  const seedCount = Number((cl.values.seeds as string | undefined) ?? '3');
  if (!Number.isInteger(seedCount) || seedCount < 1 || seedCount > 20)
    throw new UsageError(`--seeds: ${String(cl.values.seeds)} is not a whole number from 1 to 20`);
  const methodList = ((cl.values.methods as string | undefined) ?? METHOD_IDS.join(',')).split(',');
  const bad = methodList.find((m) => !isMethodId(m));
  if (bad) throw new UsageError(`--methods: ${bad} is not one of ${METHOD_IDS.join(', ')}`);
  const methods = methodList as MethodId[];
  const seeds = Array.from({ length: seedCount }, (_, i) => i + 1);
  // The commit the numbers come from, read before the runs (the tree may change while they go).
  const source = gitCommit();
  const backend = await initNodeBackend('auto');
  const wanted = (cl.values.datasets as string | undefined)?.split(',');
  const unknown = wanted?.find((w) => !REPORT_DATASETS.some((d) => d.data === w));
  if (unknown)
    throw new UsageError(`--datasets: ${unknown} is not one of ${REPORT_DATASETS.map((d) => d.data).join(', ')}`);
  const chosen = REPORT_DATASETS.filter((d) => !wanted || wanted.includes(d.data));
  const present = chosen.filter((d) => isBuiltinData(d.data) || existsSync(resolve(d.data)));
  const before = methods.filter((m) => COST_METHODS.includes(m));
  const runs = present.length * seeds.length * (methods.length + before.length);
  let done = 0;
  const started = performance.now();
  const tick = () => {
    done++;
    const elapsed = (performance.now() - started) / 1000;
    process.stderr.write(
      `[results] ${done}/${runs} runs · ${formatSeconds(elapsed)}, ~${formatSeconds(secondsLeft(done, runs, elapsed))} left\n`,
    );
  };
  const datasets: DatasetReport[] = [];
  for (const entry of chosen) {
    const sectionStart = performance.now();
    if (!present.includes(entry)) {
      console.warn(`skipped: ${entry.data} is absent`);
      datasets.push({
        data: entry.data,
        ...source,
        minutes: 0,
        name: entry.data,
        modalities: [],
        samples: 0,
        attackEps: entry.attackEps,
        certEps: entry.certEps,
        featureStd: null,
        columns: [],
        methods: [],
        before: [],
        strength: [],
        skipped: 'the folder was absent when this report was generated',
      });
      continue;
    }
    const d = await loadReportDataset(entry);
    const report: DatasetReport = {
      data: entry.data,
      ...source,
      minutes: 0,
      name: d.data.name,
      modalities: d.data.modalities.map((m) => m.name),
      samples: 0,
      attackEps: entry.attackEps,
      certEps: entry.certEps,
      featureStd: null,
      columns: reportColumns(
        d.data.modalities.map((m) => m.name),
        { ...entry, local: REPORT_LOCAL_SAMPLES > 0 },
      ).map(({ name, kind, bound }) => ({ name, kind, ...(bound ? { bound } : {}) })),
      methods: [],
      before: [],
      strength: [],
    };
    const row = async (method: MethodId, list: MethodRuns[], isBefore: boolean) => {
      const m: MethodRuns = { method, runs: [] };
      for (const seed of seeds) {
        const progress = new ProgressReporter(
          `${d.data.name} ${method}${isBefore ? ' (before)' : ''} seed ${seed}, run ${done + 1}/${runs}`,
        );
        const r = await runReportRow(d, method, seed, {
          backend: backend.name,
          before: isBefore,
          strength: !isBefore && seed === seeds[0] && COST_METHODS.includes(method),
          onSnapshot: (s) => progress.snapshot(s),
          onEvaluation: (p) => progress.evaluation(p),
        });
        m.runs.push(r.run);
        report.strength.push(...r.strength);
        report.samples = r.result.samples;
        if (r.result.certified.local) report.localSamples = r.result.certified.local.samples;
        report.featureStd = r.result.units.featureStd;
        tick();
      }
      list.push(m);
    };
    for (const method of methods) await row(method, report.methods, false);
    for (const method of before) await row(method, report.before, true);
    report.minutes = Number(((performance.now() - sectionStart) / 60000).toFixed(1));
    datasets.push(report);
  }
  const minutes = (performance.now() - started) / 60000;
  const t = DEFAULT_CONFIG.train;
  // Sections not regenerated now are kept from the existing report, in the report's order.
  const previous = wanted && existsSync(jsonOut) ? (JSON.parse(readFileSync(jsonOut, 'utf8')) as ReportData) : null;
  if (previous && previous.seeds.join() !== seeds.join())
    throw new UsageError(
      `--seeds: ${jsonOut} has seeds ${previous.seeds.join(', ')}; give the same number, or regenerate every dataset`,
    );
  const sections = REPORT_DATASETS.flatMap((e) => {
    const now = datasets.find((d) => d.data === e.data);
    const kept = previous?.datasets.find((d) => d.data === e.data);
    return now
      ? [now]
      : kept
        ? [
            {
              ...kept,
              commit: kept.commit ?? previous!.commit,
              dirty: kept.dirty ?? previous!.dirty,
              minutes: kept.minutes ?? null,
            },
          ]
        : [];
  });
  const data: ReportData = {
    format: REPORT_FORMAT,
    version: REPORT_VERSION,
    ...source,
    backend: backend.name,
    seeds,
    settings:
      `This repository's defaults: MLP encoders ${DEFAULT_CONFIG.model.hidden.join('-')}, Adam lr ${t.learningRate}, ` +
      `batch ${t.batchSize}, ${t.epochs} epochs, ρ = ${t.rho}, model selection ${t.selection}, step 2 on the ${t.step2.data} split`,
    labAttack: describeAttack(DEFAULT_CONFIG.attack),
    strongAttack: describeAttack(STRONG_ATTACK),
    methodLabels: { ...previous?.methodLabels, ...Object.fromEntries(methods.map((m) => [m, METHODS[m].label])) },
    datasets: sections,
  };
  for (const [file, text] of [
    [jsonOut, JSON.stringify(data, null, 1) + '\n'],
    [out, reportMarkdown(data)],
  ]) {
    await mkdir(dirname(resolve(file)), { recursive: true });
    await writeFile(file, text);
  }
  console.log(`wrote ${out} and ${jsonOut} in ${minutes.toFixed(1)} min`);
}

runMain(main, `Run '${COMMAND} -- --help' for the options.`);
