import type { EpochRecord, Progress } from '../core/train/snapshot';
import { fixed, pct } from './format';

interface Props {
  progress: Progress | null;
  last: EpochRecord | undefined;
  modalities: string[];
}

/** The latest numbers; data-value carries full precision for tests and screen readers alike. */
export function MetricsSummary({ progress, last, modalities }: Props) {
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
  );
}
