import { heldRecord, PHASE_LABEL, type EpochRecord, type Progress } from '../core/train/snapshot';
import { fixed, pct } from './format';

interface Props {
  progress: Progress | null;
  history: readonly EpochRecord[];
  modalities: string[];
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
export function MetricsSummary({ progress, history, modalities }: Props) {
  const last = heldRecord(history);
  const kept = history.flatMap((r) => (r.selection ? [r.selection] : []));
  const items: { id: string; label: string; value: number | undefined; text: string }[] = [
    { id: 'loss', label: 'Training loss', value: progress?.loss, text: fixed(progress?.loss) },
    { id: 'val-loss', label: 'Validation loss', value: last?.val.loss, text: fixed(last?.val.loss) },
    { id: 'train-acc', label: 'Train accuracy', value: last?.train.accuracy, text: pct(last?.train.accuracy) },
    { id: 'val-acc', label: 'Validation accuracy', value: last?.val.accuracy, text: pct(last?.val.accuracy) },
    ...modalities.map((m, i) => ({
      id: `branch-acc-${m}`,
      label: `Branch ${m} (val)`,
      value: last?.val.branchAccuracy[i],
      text: pct(last?.val.branchAccuracy[i]),
    })),
  ];
  return (
    <>
      {kept.map((k) => (
        <p key={k.phase} className="kept-epoch" data-testid={`kept-${k.phase}`}>
          {PHASE_LABEL[k.phase]}: epoch {k.epoch} of {k.lastEpoch} is kept ({CRITERION[k.criterion]}
          {k.stoppedEarly ? '; stopped early' : ''}).
        </p>
      ))}
      <dl className="metrics">
        {items.map((it) => (
          <div key={it.id}>
            <dt>{it.label}</dt>
            <dd data-testid={it.id} data-value={it.value ?? ''}>
              {it.text}
            </dd>
          </div>
        ))}
      </dl>
    </>
  );
}
