import { localCoverage } from '../../core/robust/localCertification';
import { localSampleCount } from '../../core/robust/localSample';
import type { LocalBoundState } from './useLocalBound';

interface Props {
  state: LocalBoundState | null;
  /** Whether there are weights to certify. */
  ready: boolean;
  /** The report's ε (attack.eps): the table's rows, where the live views evaluate them. */
  eps: number[];
  /** attack.localBound: samples to certify (null: all). */
  samples: number | null;
  validation: number;
  onAsk: () => void;
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

/**
 * The local (CROWN) bound on demand: 0.05–4 s per sample, so the page certifies a random sample
 * of the validation split (drawn with the run's seed, as the CLI draws its test samples) when asked, in the worker, and says how many; the certified curves and the
 * radius histogram then show it beside the sound kind.
 */
export function LocalBoundPanel({ state, ready, eps, samples, validation, onAsk }: Props) {
  const view = state?.view ?? null;
  const count = localSampleCount(samples, validation);
  const rows = view
    ? eps.map((e) => [e, view.eps.findIndex((x) => Math.abs(x - e) < 1e-9)]).filter(([, j]) => j >= 0)
    : [];
  return (
    <div className="local-bound" data-testid="local-bound">
      <button
        onClick={onAsk}
        disabled={!ready || count === 0 || (state !== null && !view && !state.error)}
        data-testid="local-bound-ask"
      >
        Certify with the local bound (CROWN)
      </button>{' '}
      <span data-testid="local-bound-status">
        {!state
          ? count === 0
            ? 'Local bound samples is 0 (Evaluation attacks settings).'
            : count < validation
              ? `A tighter guarantee than the sound one, on ${count} random validation samples of ${validation} (0.05–4 s each).`
              : `A tighter guarantee than the sound one, on all ${validation} validation samples (0.05–4 s each).`
          : state.error
            ? ''
            : view
              ? [
                  localCoverage(view.local, 'validation', view.setting),
                  `weights of epoch ${state.epoch}`,
                  `${view.seconds.toFixed(1)} s`,
                ].join(', ')
              : `Certifying ${count}${count < validation ? ' random' : ''} validation samples (weights of epoch ${state.epoch})…`}
      </span>
      {state?.error && (
        <p className="message" role="alert" data-testid="local-bound-error">
          The local bound could not be computed: {state.error}
        </p>
      )}
      {view && rows.length > 0 && (
        <table className="local-bound-table" data-testid="local-bound-table">
          <caption>Certified accuracy, every modality attacked, on the same {view.local.samples} samples</caption>
          <thead>
            <tr>
              <th scope="col">ε</th>
              <th scope="col">sound</th>
              <th scope="col">local (CROWN)</th>
            </tr>
          </thead>
          <tbody>
            {rows.map(([e, j]) => (
              <tr key={e} data-eps={e}>
                <th scope="row">{e}</th>
                <td data-kind="sound">{pct(view.sound.all[j])}</td>
                <td data-kind="local">{pct(view.local.all[j])}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
