import { useState } from 'react';
import { ATTACK_KINDS, ATTACK_LABEL, type AttackKind } from '../../core/robust/attackKinds';
import type { AttackView } from '../../core/robust/attackView';
import type { DatasetSummary } from '../../core/data/summary';
import { ChartFigure } from '../charts/ChartFigure';
import { SeriesChart } from '../charts/SeriesChart';
import { Thumbnail } from '../data/Thumbnail';
import { pct } from '../format';
import { PALETTE } from '../palette';
import { useWorkerView } from '../useWorkerView';
import type { Call } from '../workerClient';

interface Props {
  dataset: DatasetSummary | null;
  /** Which model is loaded: a new one (load, reset, import) starts the panel's answers afresh. */
  model: number;
  /** Changes as the model trains (an epoch ends, a step): the panel re-evaluates. */
  modelVersion: string;
  /** The epoch the model is at, for the robust-accuracy trace. */
  epoch: number;
  call: Call;
}

/** Robust accuracy of the attack switched on, one point per epoch it was evaluated at. */
type Trace = { epoch: number; accuracy: number; clean: number }[];

const usesEps = (k: AttackKind) => k !== 'missing-mean' && k !== 'missing-drop';

/** Toggle attacks per modality, pick the attack and ε; the worker evaluates the current model without retraining. */
export function AttackPanel({ dataset, model, modelVersion, epoch, call }: Props) {
  const names = dataset?.modalities.map((m) => m.name) ?? [];
  const [kind, setKind] = useState<AttackKind>('pgd-l2');
  const [on, setOn] = useState<Record<string, boolean>>({});
  const [eps, setEps] = useState(0.5);
  const [sample, setSample] = useState(0);
  const targets = names.map((n) => Boolean(on[n]));
  const active = targets.some(Boolean);
  const [trace, setTrace] = useState<Trace>([]);
  const { answer: current, error } = useWorkerView(
    call,
    dataset && active ? { type: 'attack', request: { kind, targets, eps, sample } } : null,
    {
      scope: String(model),
      version: modelVersion,
      delayMs: 120,
      // One point per epoch; another attack or another model starts a new trace.
      onAnswer: (v, first) =>
        setTrace((t) => [
          ...(first ? [] : t.filter((p) => p.epoch !== epoch)),
          { epoch, accuracy: v.accuracy, clean: v.clean },
        ]),
    },
  );
  if (!dataset) return <p className="empty">Loading…</p>;
  const allOn = targets.every(Boolean);
  const attacked = current?.request.targets ?? [];
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
        <label className="inline">
          {kind === 'gaussian' ? 'σ' : 'ε'}
          <input
            type="number"
            min={0}
            max={10}
            step={0.05}
            value={eps}
            disabled={!usesEps(kind)}
            onChange={(e) => setEps(Math.max(0, Number(e.target.value) || 0))}
            data-testid="attack-eps"
            className="short"
          />
        </label>
        <label className="inline">
          Sample
          <input
            type="number"
            min={0}
            max={Math.max(0, dataset.counts.val - 1)}
            step={1}
            value={sample}
            onChange={(e) => setSample(Math.max(0, Math.floor(Number(e.target.value) || 0)))}
            data-testid="attack-sample"
            className="short"
          />
        </label>
      </div>
      {!active ? (
        <p className="empty">Tick a modality (or all) to attack the current model.</p>
      ) : error ? (
        <p className="message" role="alert" data-testid="attack-error">
          The attack could not be evaluated: {error}
        </p>
      ) : !current ? (
        <p className="empty">Evaluating…</p>
      ) : (
        <>
          <p className="robust" data-testid="robust-acc" data-value={current.accuracy} data-clean={current.clean}>
            Validation accuracy under {ATTACK_LABEL[current.request.kind]} on{' '}
            {attacked.every(Boolean) ? 'all modalities' : names.filter((_, i) => attacked[i]).join(' + ')}
            {usesEps(current.request.kind)
              ? ` at ${current.request.kind === 'gaussian' ? 'σ' : 'ε'} = ${current.request.eps}`
              : ''}
            : <strong>{pct(current.accuracy)}</strong> (clean {pct(current.clean)})
          </p>
          <div className="chart-pair">
            <RobustOverTime trace={trace} />
            {current.curves.length > 0 && <AttackCurves view={current} />}
          </div>
          <SampleComparison view={current} dataset={dataset} />
        </>
      )}
    </div>
  );
}

function RobustOverTime({ trace }: { trace: Trace }) {
  return (
    <ChartFigure
      id="chart-robust-epochs"
      title="Robust accuracy over epochs"
      caption="validation accuracy under the attack switched on, and clean, each time the model was evaluated while it trained."
      summary={trace.map((p) => `${p.epoch}:${p.accuracy.toFixed(3)}`).join(',')}
      empty={trace.length > 1 ? null : 'Keep the attack on while training to follow it over epochs.'}
    >
      <SeriesChart
        rows={trace}
        x="epoch"
        xLabel="epoch"
        yLabel="accuracy"
        series={[
          { key: 'accuracy', name: 'under attack', colour: PALETTE[5] },
          { key: 'clean', colour: PALETTE[0], dashed: true },
        ]}
      />
    </ChartFigure>
  );
}

function AttackCurves({ view }: { view: AttackView }) {
  const rows = view.curves[0].eps.map((eps, i) =>
    Object.fromEntries([['eps', eps], ...view.curves.map((c) => [c.target, c.accuracy[i]])]),
  );
  return (
    <ChartFigure
      id="chart-attack"
      title={`Accuracy under ${ATTACK_LABEL[view.request.kind]} against ε`}
      caption="validation accuracy when only one modality is attacked, or all of them at once, as the budget grows: the steeper curve is the modality that is cheaper to attack."
      summary={view.curves.map((c) => `${c.target}:${c.accuracy.map((a) => a.toFixed(3)).join(',')}`).join(' ')}
      empty={null}
    >
      <SeriesChart
        rows={rows}
        x="eps"
        numericX
        xLabel="ε"
        yLabel="accuracy"
        series={view.curves.map((c, i) => ({ key: c.target, colour: PALETTE[i] }))}
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
        Validation sample {s.index} (class {cls(s.label)}), standardised inputs. Clean prediction:{' '}
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
