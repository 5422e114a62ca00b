import { useEffect, useState } from 'react';
import { ATTACK_KINDS, ATTACK_LABEL, type AttackKind } from '../../core/robust/attackKinds';
import type { AttackView } from '../../core/robust/attackView';
import type { DatasetSummary } from '../../core/data/summary';
import type { EpochRecord } from '../../core/train/snapshot';
import type { WatchedAttack } from '../../worker/epochAttack';
import { ChartFigure } from '../charts/ChartFigure';
import { EPS_AXIS_LABEL, EpsScaleToggle, featureCount, perFeatureDivisor, type EpsScale } from '../charts/EpsScale';
import { classLabel } from '../classLabel';
import { Thumbnail } from '../data/Thumbnail';
import { pct } from '../format';
import { FUSED_COLOUR, modalityColour } from '../palette';
import { Legend } from '../plot/Legend';
import { percent, Plot, type PlotSeries, type Point } from '../plot/Plot';
import { NumberField } from '../settings/NumberField';
import { useWorkerView } from '../useWorkerView';
import type { Call } from '../workerClient';
import { AttackCostPanel } from './AttackCostPanel';

interface Props {
  dataset: DatasetSummary | null;
  /** Which model is loaded: a new one (load, reset, import) starts the panel's answers afresh. */
  model: number;
  /** Changes as the model trains (an epoch ends, a step): the panel re-evaluates. */
  modelVersion: string;
  /** The run's epochs: the accuracy under the watched attack is recorded in them. */
  history: EpochRecord[];
  /** While training, the worker records the attack after each epoch instead of answering views. */
  training: boolean;
  call: Call;
  /** How an attack on several modalities spends ε (the experiment's attack settings), for ε per feature. */
  attackBudget: 'joint' | 'per-modality';
  /** The attack switched on now (null: none), for the worker to record after every epoch. */
  onWatch(attack: WatchedAttack | null): void;
}

const usesEps = (k: AttackKind) => k !== 'missing-mean' && k !== 'missing-drop';
const sameTargets = (a: string[], b: string[]) => a.length === b.length && a.every((t, i) => t === b[i]);

/**
 * Toggle attacks per modality, pick the attack and ε. Idle, the worker evaluates the current model
 * at once (curves and a sample); while training, it records the accuracy after every epoch, which
 * the panel follows, and the curves wait for the run to pause or end.
 */
export function AttackPanel({ dataset, model, modelVersion, history, training, call, attackBudget, onWatch }: Props) {
  const names = dataset?.modalities.map((m) => m.name) ?? [];
  const [kind, setKind] = useState<AttackKind>('pgd-l2');
  const [on, setOn] = useState<Record<string, boolean>>({});
  const [eps, setEps] = useState(0.5);
  const [sample, setSample] = useState(0);
  const targets = names.map((n) => Boolean(on[n]));
  const active = targets.some(Boolean);
  const attackEps = usesEps(kind) ? eps : 0;
  const watchKey = active ? JSON.stringify([kind, targets, attackEps]) : '';
  useEffect(() => {
    const [k, t, e] = watchKey ? (JSON.parse(watchKey) as [AttackKind, boolean[], number]) : [];
    onWatch(watchKey ? { kind: k!, targets: t!, eps: e! } : null);
  }, [watchKey, onWatch]);
  const { answer: current, error } = useWorkerView(
    call,
    dataset && active && !training ? { type: 'attack', request: { kind, targets, eps, sample } } : null,
    { scope: String(model), version: modelVersion, delayMs: 120 },
  );
  if (!dataset) return <p className="empty">Loading…</p>;
  const allOn = targets.every(Boolean);
  const attackedNames = names.filter((_, i) => targets[i]);
  // The epochs recorded under exactly this attack.
  const trace = history.filter(
    (r) =>
      r.attack && r.attack.kind === kind && r.attack.eps === attackEps && sameTargets(r.attack.targets, attackedNames),
  );
  const lastRecorded = trace.at(-1);
  const on_ = (t: boolean[]) => (t.every(Boolean) ? 'all modalities' : names.filter((_, i) => t[i]).join(' + '));
  const budget = (k: AttackKind, e: number) => (usesEps(k) ? ` at ${k === 'gaussian' ? 'σ' : 'ε'} = ${e}` : '');
  return (
    <div className="attack-panel">
      <fieldset className="attack-targets">
        <legend>Attack these modalities</legend>
        {names.map((n) => (
          <label key={n}>
            <input
              type="checkbox"
              checked={Boolean(on[n])}
              onChange={(e) => setOn({ ...on, [n]: e.target.checked })}
              data-testid={`attack-${n}`}
            />
            {n}
          </label>
        ))}
        <label>
          <input
            type="checkbox"
            checked={allOn}
            onChange={(e) => setOn(Object.fromEntries(names.map((n) => [n, e.target.checked])))}
            data-testid="attack-all"
          />
          all
        </label>
      </fieldset>
      <div className="controls">
        <label className="inline">
          Attack
          <select value={kind} onChange={(e) => setKind(e.target.value as AttackKind)} data-testid="attack-kind">
            {ATTACK_KINDS.map((k) => (
              <option key={k} value={k}>
                {ATTACK_LABEL[k]}
              </option>
            ))}
          </select>
        </label>
        <NumberField
          label={kind === 'gaussian' ? 'σ' : 'ε'}
          testId="attack-eps"
          value={eps}
          onValue={setEps}
          min={0}
          max={10}
          disabled={!usesEps(kind)}
        />
        <NumberField
          label="Sample"
          testId="attack-sample"
          value={sample}
          onValue={setSample}
          min={0}
          max={Math.max(0, dataset.counts.val - 1)}
          integer
        />
      </div>
      {!active ? (
        <p className="empty">Tick a modality (or all) to attack the current model.</p>
      ) : training ? (
        lastRecorded ? (
          <p
            className="robust"
            data-testid="robust-acc"
            data-value={lastRecorded.attack!.accuracy}
            data-clean={lastRecorded.val.accuracy}
          >
            Validation accuracy under {ATTACK_LABEL[kind]} on {on_(targets)}
            {budget(kind, attackEps)} after epoch {lastRecorded.runEpoch}:{' '}
            <strong>{pct(lastRecorded.attack!.accuracy)}</strong> (clean {pct(lastRecorded.val.accuracy)}). Recorded
            after every epoch while it trains; the curves and the sample follow when it pauses or ends.
          </p>
        ) : (
          <p className="empty">Training: the accuracy under this attack is recorded after each epoch.</p>
        )
      ) : error ? (
        <p className="message" role="alert" data-testid="attack-error">
          The attack could not be evaluated: {error}
        </p>
      ) : !current ? (
        <p className="empty">Evaluating…</p>
      ) : (
        <p className="robust" data-testid="robust-acc" data-value={current.accuracy} data-clean={current.clean}>
          Validation accuracy under {ATTACK_LABEL[current.request.kind]} on {on_(current.request.targets)}
          {budget(current.request.kind, current.request.eps)}: <strong>{pct(current.accuracy)}</strong> (clean{' '}
          {pct(current.clean)})
        </p>
      )}
      {active && (
        <div className="chart-pair">
          <RobustOverTime trace={trace} targets={targets} />
          {current && current.curves.length > 0 && (
            <AttackCurves
              view={current}
              names={names}
              dims={dataset.modalities.map((m) => featureCount(m.shape))}
              budget={attackBudget}
            />
          )}
        </div>
      )}
      {active && current && !training && <SampleComparison view={current} dataset={dataset} />}
      <AttackCostPanel dataset={dataset} model={model} modelVersion={modelVersion} training={training} call={call} />
    </div>
  );
}

/** The colour of an attack's target: the modality's own, or the fused colour for several. */
const targetColour = (targets: boolean[]) =>
  targets.filter(Boolean).length === 1 ? modalityColour(targets.indexOf(true)) : FUSED_COLOUR;

function RobustOverTime({ trace, targets }: { trace: EpochRecord[]; targets: boolean[] }) {
  const series: PlotSeries[] = [
    {
      kind: 'line',
      id: 'attacked',
      label: 'under attack',
      colour: targetColour(targets),
      points: trace.map((r): Point => [r.runEpoch, r.attack!.accuracy]),
    },
    {
      kind: 'line',
      id: 'clean',
      label: 'clean',
      colour: FUSED_COLOUR,
      style: 'clean',
      points: trace.map((r): Point => [r.runEpoch, r.val.accuracy]),
    },
  ];
  return (
    <ChartFigure
      id="chart-robust-epochs"
      title="Robust accuracy over epochs"
      caption="validation accuracy under the attack switched on, recorded after every epoch it was on while the model trained, and without it."
      summary={trace.map((r) => `${r.runEpoch}:${r.attack!.accuracy.toFixed(3)}`).join(',')}
      empty={trace.length > 1 ? null : 'Keep the attack on while training: its accuracy is recorded after every epoch.'}
    >
      <Legend colours={[{ label: 'under attack', colour: targetColour(targets) }]} styles={['clean']} />
      <Plot
        label="Accuracy under attack per epoch"
        series={series}
        x={{ label: 'epoch', integer: true }}
        y={{ label: 'accuracy', domain: [0, 1], format: percent }}
      />
    </ChartFigure>
  );
}

function AttackCurves({
  view,
  names,
  dims,
  budget,
}: {
  view: AttackView;
  names: string[];
  dims: number[];
  budget: 'joint' | 'per-modality';
}) {
  const [scale, setScale] = useState<EpsScale>('total');
  // ℓ∞ and noise budgets are per coordinate already: only ℓ2 budgets spread over the features.
  const l2 = view.request.kind === 'fgm' || view.request.kind === 'pgd-l2';
  const shown = l2 ? scale : 'total';
  const over = (target: string) =>
    shown === 'per-feature' ? perFeatureDivisor(dims, target === 'all' ? 'all' : names.indexOf(target), budget) : 1;
  const colourOf = (target: string) => (target === 'all' ? FUSED_COLOUR : modalityColour(names.indexOf(target)));
  const series: PlotSeries[] = view.curves.map((c) => ({
    kind: 'line',
    id: c.target,
    label: c.target === 'all' ? 'all modalities' : `only ${c.target}`,
    colour: colourOf(c.target),
    points: c.eps.map((e, i): Point => [e / over(c.target), c.accuracy[i]]),
  }));
  return (
    <ChartFigure
      id="chart-attack"
      title={`Accuracy under ${ATTACK_LABEL[view.request.kind]} against ε`}
      caption="validation accuracy when only one modality is attacked, or all of them at once, as the budget grows: the steeper curve is the modality that is cheaper to attack."
      summary={view.curves.map((c) => `${c.target}:${c.accuracy.map((a) => a.toFixed(3)).join(',')}`).join(' ')}
      empty={null}
    >
      {l2 && <EpsScaleToggle scale={scale} onScale={setScale} testId="attack-eps-scale" />}
      <Legend colours={series.map((s) => ({ label: s.kind === 'line' ? s.label : s.id, colour: s.colour }))} />
      <Plot
        label="Accuracy against the attack budget"
        series={series}
        x={{ label: l2 ? EPS_AXIS_LABEL[shown] : 'ε (standardised units)' }}
        y={{ label: 'accuracy', domain: [0, 1], format: percent }}
        // ε now is one budget for every target: on a per-feature axis each target would put it elsewhere.
        rules={shown === 'total' ? [{ axis: 'x', at: view.request.eps, label: 'ε now' }] : []}
      />
    </ChartFigure>
  );
}

function SampleComparison({ view, dataset }: { view: AttackView; dataset: DatasetSummary }) {
  const s = view.sample;
  const cls = (k: number) => dataset.classes[k] ?? String(k);
  return (
    <figure className="sample-compare" data-testid="attack-sample-view">
      <figcaption>
        Validation sample {s.index} ({classLabel(dataset.classes, s.label)}), standardised inputs. Clean prediction:{' '}
        <strong data-testid="clean-prediction">{cls(s.cleanPrediction)}</strong>; attacked:{' '}
        <strong data-testid="attacked-prediction">{cls(s.attackedPrediction)}</strong>
        {s.cleanPrediction !== s.attackedPrediction ? ' — the attack flips it.' : '.'}
      </figcaption>
      {dataset.modalities.map((m, i) => (
        <div key={m.name} className="preview-row">
          <span className="preview-name">{m.name}</span>
          <Thumbnail values={s.clean[i]} shape={m.shape} kind={m.kind} label={`${m.name}, clean`} />
          <span aria-hidden="true">→</span>
          <Thumbnail values={s.attacked[i]} shape={m.shape} kind={m.kind} label={`${m.name}, attacked`} />
        </div>
      ))}
    </figure>
  );
}
