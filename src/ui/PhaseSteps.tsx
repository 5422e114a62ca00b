import type { PhasePlan } from '../core/train/phasePlan';
import { PHASE_LABEL, type Progress } from '../core/train/snapshot';

/** The run's phases in order (e.g. step 1 → Lipschitz estimation → step 2), each done, current or pending. */
export function PhaseSteps({
  plan,
  progress,
  finished,
}: {
  plan: PhasePlan[];
  progress: Progress | null;
  finished: boolean;
}) {
  if (plan.length < 2) return null;
  const current = progress?.phaseIndex ?? 0;
  return (
    <ol className="phases" aria-label="Phases">
      {plan.map((p, i) => {
        const state = finished || i < current ? 'done' : i === current && progress ? 'current' : 'pending';
        return (
          <li key={p.phase} data-testid={`phase-${p.phase}`} data-state={state} className={`phase-${state}`}>
            {PHASE_LABEL[p.phase]}
            {p.epochs > 0 ? ` (${p.epochs} epochs)` : ''}
          </li>
        );
      })}
    </ol>
  );
}
