import { useState } from 'react';
import type { DatasetSummary } from '../../core/data/summary';
import { describeAttack } from '../../core/robust/describeAttack';
import { describeLocalBoundSetting } from '../../core/robust/localBound/localBoundSetting';
import type { AttackCostView } from '../../worker/attackCostView';
import { attackCostVerdict } from './attackCostVerdict';
import { pct } from '../format';
import { useWorkerView } from '../useWorkerView';
import type { Call } from '../workerClient';

interface Props {
  dataset: DatasetSummary | null;
  model: number;
  modelVersion: string;
  training: boolean;
  call: Call;
}

const num = (x: number | null | undefined) =>
  x === null || x === undefined || !Number.isFinite(x) ? '—' : x.toPrecision(3);

/**
 * Which modality is cheaper to attack: the sound and local bounds (median single-modality radius,
 * guarantees; the local one on the lab's random sample of the validation split) beside the measurement (the ε at which PGD on that modality alone halves validation
 * accuracy), computed in the worker when asked. Asked for one model: new weights of the same model
 * (a step, more training) are measured again once it stops training; training withdraws it; a new model forgets it.
 */
export function AttackCostPanel({ dataset, model, modelVersion, training, call }: Props) {
  // Each press is an attempt of its own (never reused, so no earlier answer can show for it): a
  // refused measurement can be asked again.
  const [asked, setAsked] = useState({ model: -1, attempt: 0, on: false });
  const wanted = asked.on && asked.model === model && dataset !== null && !training;
  const { answer, error } = useWorkerView(call, wanted ? { type: 'attackCost' } : null, {
    scope: `${model}:${asked.attempt}`,
    version: modelVersion,
    delayMs: 0,
  });
  if (!dataset) return null;
  return (
    <section className="attack-cost" aria-labelledby="attack-cost-h" data-testid="attack-cost">
      <h3 id="attack-cost-h">Which modality is cheaper to attack?</h3>
      <div className="controls">
        <button
          onClick={() => setAsked({ model, attempt: asked.attempt + 1, on: true })}
          disabled={training || (wanted && !error)}
          data-testid="attack-cost-measure"
        >
          Measure which modality is cheaper to attack
        </button>
        {wanted && !answer && !error && (
          <button onClick={() => setAsked({ ...asked, on: false })} data-testid="attack-cost-cancel">
            Cancel
          </button>
        )}
      </div>
      {training ? (
        <p className="empty">
          Measured on a model that is not training: pause or let the run end
          {asked.on && asked.model === model ? ' (it is measured again then)' : ''}.
        </p>
      ) : error && wanted ? (
        <p className="message" role="alert" data-testid="attack-cost-error">
          The measurement could not be made: {error}
        </p>
      ) : wanted && !answer ? (
        <p className="empty" data-testid="attack-cost-running">
          Measuring: PGD-ℓ2 on each modality alone, ε doubled then bisected until validation accuracy halves, then the
          local bound…
        </p>
      ) : answer && wanted ? (
        <AttackCostResult view={answer} />
      ) : (
        <p className="empty">
          The sound and local radii bound how cheap each modality is to attack; the measurement runs PGD on each one
          alone (a few dozen attacks on the validation split, in the training worker), then computes the local bound on
          the lab's random sample of it.
        </p>
      )}
    </section>
  );
}

function AttackCostResult({ view }: { view: AttackCostView }) {
  const p = view.preference;
  const m = p.measured!;
  const local = view.local;
  const names = p.modalities;
  const perFeature = (x: number | null, i: number) => (x === null ? null : x / Math.sqrt(view.dims[i]));
  const raw = rawUnits(view);
  const verdict = attackCostVerdict({
    modalities: names,
    sound: p.medianRadius.sound,
    local: local?.medianRadius ?? null,
    localSamples: local?.samples ?? 0,
    measured: m.cheapest,
    maxEps: view.search.maxEps,
  });
  // The bound ran with the experiment's settings, the ones the measurement used (view.settings).
  const how = describeLocalBoundSetting(view.settings);
  const onSample = local ? `${local.samples} random validation samples of ${local.of}${how ? `, ${how}` : ''}` : '';
  return (
    <div
      data-testid="attack-cost-result"
      data-halving={JSON.stringify(m.halvingEps)}
      data-halving-per-feature={JSON.stringify(m.halvingEpsPerFeature)}
      data-bound={JSON.stringify(p.medianRadius.sound)}
      data-local={JSON.stringify(local?.medianRadius ?? null)}
      data-local-sound={JSON.stringify(local?.soundMedianRadius ?? null)}
      data-local-samples={local?.samples ?? 0}
      data-agree={String(verdict.agree)}
      data-local-agree={String(verdict.localAgree)}
    >
      {/* Above the table, not its caption: a caption is as wide as the table, and would scroll out of sight with it on a phone. */}
      <p className="attack-cost-settings" id="attack-cost-table-note">
        Validation split, clean accuracy {pct(view.clean)}. ε and radii in standardised units (ℓ2 of z-scored inputs);
        per feature = ÷√d, the RMS change of each feature, comparable across modalities of different dimension.
        {local && ` The local bound is computed on ${onSample} (Local bound samples, under Evaluation attacks).`}
      </p>
      <table className="run-table" aria-describedby="attack-cost-table-note">
        <caption>Bounds and measurement, per modality</caption>
        <thead>
          <tr>
            <th scope="col">modality</th>
            <th scope="col">d</th>
            <th scope="col">bound: median sound radius rᵐ — a guarantee (lower bound), not a measurement</th>
            <th scope="col">rᵐ per feature</th>
            <th scope="col">
              bound: median local (CROWN) radius rᵐ — a guarantee on {local ? onSample : 'no samples'}
            </th>
            <th scope="col">local rᵐ per feature</th>
            <th scope="col">measured: ε that halves accuracy (PGD-ℓ2)</th>
            <th scope="col">ε per feature (ε/√d)</th>
          </tr>
        </thead>
        <tbody>
          {names.map((n, i) => (
            <tr key={n}>
              <th scope="row">{n}</th>
              <td>{view.dims[i]}</td>
              <td data-testid={`attack-cost-bound-${n}`} title={raw ? raw.bound(i) : undefined}>
                {num(p.medianRadius.sound[i])}
              </td>
              <td>{num(perFeature(p.medianRadius.sound[i], i))}</td>
              <td
                data-testid={`attack-cost-local-${n}`}
                title={local ? `sound median on the same samples: ${num(local.soundMedianRadius[i])}` : undefined}
              >
                {local ? num(local.medianRadius[i]) : 'set to 0 samples'}
              </td>
              <td data-testid={`attack-cost-local-feature-${n}`}>
                {num(local ? perFeature(local.medianRadius[i], i) : null)}
              </td>
              <td data-testid={`attack-cost-eps-${n}`} title={raw ? raw.eps(i) : undefined}>
                {m.halvingEps[i] === null ? `not reached by ${view.search.maxEps}` : num(m.halvingEps[i])}
              </td>
              <td data-testid={`attack-cost-eps-feature-${n}`}>{num(m.halvingEpsPerFeature[i])}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>
        <strong>Bounds</strong> (guarantees (lower bounds), not measurements): {verdict.sound} has the smaller median
        sound radius{local && `, ${verdict.local ?? 'none'} the smaller median local radius on ${onSample}`}.{' '}
        <strong>Measured</strong> by PGD: {m.cheapest ?? 'none'} by total ε, {m.cheapestPerFeature ?? 'none'} per
        feature.
      </p>
      {raw && (
        <p className="attack-cost-settings" data-testid="attack-cost-raw">
          In raw input units: {names.map((n, i) => `${n}: ${raw.eps(i)}; ${raw.bound(i)}.`).join(' ')}
        </p>
      )}
      <p className="robust" data-testid="attack-cost-agreement">
        {verdict.text}
      </p>
      <p className="attack-cost-settings" data-testid="attack-cost-settings">
        Measured by {describeAttack(view.settings)}, seed {view.seed}, on one modality at a time: ε doubled from{' '}
        {view.search.firstEps} until validation accuracy is at most half the clean one ({pct(m.targetAccuracy)}), then{' '}
        {view.search.bisections} bisections; the smallest ε found is shown.
      </p>
    </div>
  );
}

/**
 * Raw-unit readings (the CLI's convention): a standardised ε is typically ε × the RMS feature std
 * in raw units, and a standardised radius r certifies every raw change of norm up to r × the smallest std.
 */
function rawUnits(view: AttackCostView): { eps(i: number): string; bound(i: number): string } | null {
  const s = view.featureStd;
  if (!s) return null;
  const m = view.preference.measured!;
  return {
    eps: (i) =>
      m.halvingEps[i] === null
        ? 'no halving ε to convert'
        : `measured ε ≈ ${num(m.halvingEps[i]! * s.rms[i])} raw (× RMS feature std ${num(s.rms[i])})`,
    bound: (i) =>
      `the sound bound certifies raw changes up to ${num(view.preference.medianRadius.sound[i] * s.min[i])} (× smallest feature std ${num(s.min[i])})` +
      (view.local ? `, the local bound up to ${num(view.local.medianRadius[i] * s.min[i])} on its samples` : ''),
  };
}
