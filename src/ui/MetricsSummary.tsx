import { heldRecord, PHASE_LABEL, type EpochRecord, type Progress } from '../core/train/snapshot';
import { METHODS, type MethodId } from '../core/train/methods';
import { fixed, pct } from './format';

interface Props {
  progress: Progress | null;
  /** The epochs on display: trained here, stored, or a loaded model's evaluation (one record). */
  history: readonly EpochRecord[];
  modalities: string[];
  method: MethodId;
}

/** What the optimiser minimises now, in words: CRMT's objectives are not a cross-entropy and go below 0. */
function objective(method: MethodId, progress: Progress | null): { short: string; long: string } {
  if (progress?.phase === 'step2')
    return {
      short: '−radius bound: below 0',
      long: "step 2's objective: minus the mean certified-radius bound, so below 0",
    };
  if (progress?.phase === 'teachers')
    return { short: 'teachers: cross-entropy', long: "the uni-modal teachers' cross-entropy" };
  const m = METHODS[method];
  if (m.marginTerm)
    return {
      short: 'CE + ρ·margin term (can be < 0)',
      long: 'cross-entropy plus ρ × the margin term; the margin term is the log of a sum that falls below 0 once the margins are large, so the objective can be negative',
    };
  if (m.structure === 'umt') return { short: 'CE + distillation', long: 'cross-entropy plus the distillation term' };
  return { short: 'cross-entropy', long: 'cross-entropy' };
}

const CRITERION: Record<string, string> = {
  'val-accuracy': 'best validation accuracy',
  'val-loss': 'lowest validation loss',
  'val-certified': 'best validation sound certified accuracy',
};

/**
 * The numbers of the weights the model holds — the kept epoch when a phase selected one — with
 * data-value at full precision for tests and screen readers alike.
 */
export function MetricsSummary({ progress, history, modalities, method }: Props) {
  const last = heldRecord(history);
  const kept = history.flatMap((r) => (r.selection ? [r.selection] : []));
  const goal = progress
    ? objective(method, progress)
    : { short: 'while training here', long: 'recorded only while a run trains in this page' };
  const items: { id: string; label: string; value: number | undefined; text: string; help?: string }[] = [
    {
      id: 'loss',
      label: 'Training objective',
      value: progress?.loss,
      text: fixed(progress?.loss),
      help: goal.long,
    },
    {
      id: 'val-loss',
      label: 'Validation loss',
      value: last?.val.loss,
      text: fixed(last?.val.loss),
      help: 'cross-entropy',
    },
    { id: 'train-acc', label: 'Train accuracy', value: last?.train.accuracy, text: pct(last?.train.accuracy) },
    { id: 'val-acc', label: 'Validation accuracy', value: last?.val.accuracy, text: pct(last?.val.accuracy) },
    ...modalities.map((m, i) => ({
      id: `branch-acc-${m}`,
      label: `${m} alone (val)`,
      value: last?.val.branchAccuracy[i],
      text: pct(last?.val.branchAccuracy[i]),
    })),
  ];
  // Which epoch the numbers are from, under the first of them (the full sentence on hover):
  // a line of its own above the cards would push the live charts below the fold.
  const keptNotes = kept.map((k) => (
    <dd
      key={k.phase}
      className="metric-help"
      data-testid={`kept-${k.phase}`}
      title={`${PHASE_LABEL[k.phase]}: epoch ${k.epoch} of ${k.lastEpoch} is kept (${CRITERION[k.criterion]}${k.stoppedEarly ? '; stopped early' : ''}).`}
    >
      {PHASE_LABEL[k.phase].split(':')[0]}: epoch {k.epoch} of {k.lastEpoch} kept
      {k.stoppedEarly ? ' (stopped early)' : ''}
    </dd>
  ));
  return (
    <dl className="metrics">
      {items.map((it) => (
        <div key={it.id} title={it.help}>
          <dt>{it.label}</dt>
          <dd data-testid={it.id} data-value={it.value ?? ''}>
            {it.text}
          </dd>
          {it.help && it.id === 'loss' && (
            <dd className="metric-help" data-testid="loss-help">
              {goal.short}
            </dd>
          )}
          {it.id === 'val-loss' && keptNotes}
        </div>
      ))}
    </dl>
  );
}
