import type { DatasetSummary as Summary } from '../worker/protocol';

export function DatasetSummary({ dataset }: { dataset: Summary | null }) {
  if (!dataset) return <p className="empty">Generating the dataset…</p>;
  const c = dataset.counts;
  return (
    <div className="dataset" data-testid="dataset-summary">
      <p>
        <strong>{dataset.name}</strong> · {dataset.classes.length} classes · {c.train} train / {c.val} val / {c.test}{' '}
        test
      </p>
      <ul>
        {dataset.modalities.map((m) => (
          <li key={m.name}>
            modality <strong>{m.name}</strong>: shape [{m.shape.join(' × ')}]
          </li>
        ))}
      </ul>
    </div>
  );
}
