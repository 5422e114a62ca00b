import { memo } from 'react';
import type { DatasetSummary as Summary } from '../../core/data/summary';
import { classColour } from '../palette';
import { SamplePreviews } from './SamplePreviews';

/**
 * Name, modalities and shapes, samples per split, class balance and a few samples per modality.
 * Memoised: the dataset stays while a run trains, and its thumbnails need not render on every snapshot.
 */
export const DatasetSummary = memo(function DatasetSummary({ dataset }: { dataset: Summary | null }) {
  if (!dataset) return <p className="empty">Generating the dataset…</p>;
  const c = dataset.counts;
  const total = dataset.classes.map(
    (_, k) => dataset.classCounts.train[k] + dataset.classCounts.val[k] + dataset.classCounts.test[k],
  );
  const max = Math.max(...total, 1);
  return (
    <div className="dataset" data-testid="dataset-summary">
      <p>
        <strong data-testid="dataset-name">{dataset.name}</strong> · {dataset.classes.length} classes ·{' '}
        <span data-testid="split-counts">
          {c.train} train / {c.val} val / {c.test} test
        </span>
      </p>
      <ul>
        {dataset.modalities.map((m) => (
          <li key={m.name}>
            modality <strong>{m.name}</strong>: {m.kind}, shape [{m.shape.join(' × ')}]
          </li>
        ))}
      </ul>
      <figure className="balance" aria-label="Class balance">
        <figcaption>Class balance (all splits)</figcaption>
        {dataset.classes.map((name, k) => (
          <div key={name} className="balance-row" data-testid="class-count">
            <span className="balance-name">{name}</span>
            <span className="balance-bar" style={{ width: `${(100 * total[k]) / max}%`, background: classColour(k) }} />
            <span className="balance-value">{total[k]}</span>
          </div>
        ))}
      </figure>
      <SamplePreviews dataset={dataset} />
    </div>
  );
});
