import { useMemo } from 'react';
import type { DatasetSummary } from '../../core/data/summary';
import { classLabel } from '../classLabel';
import { Thumbnail } from './Thumbnail';

/** A few samples per modality, one per class: what the model will see, before standardisation. */
export function SamplePreviews({ dataset }: { dataset: DatasetSummary }) {
  return (
    <div className="previews" data-testid="sample-previews">
      {dataset.modalities.map((m, mi) => (
        <div key={m.name} className="preview-row">
          <span className="preview-name">{m.name}</span>
          {dataset.previews.map((p) => (
            <figure key={p.index} className="preview" data-testid={`preview-${m.name}`}>
              <Thumbnail
                values={p.values[mi]}
                shape={m.shape}
                kind={m.kind}
                label={`${m.name} of sample ${p.index} (${classLabel(dataset.classes, p.label)})`}
              />
              {p.audio[mi] && <AudioClip wav={p.audio[mi]!} label={`Play ${m.name} of sample ${p.index}`} />}
              <figcaption>{dataset.classes[p.label]}</figcaption>
            </figure>
          ))}
        </div>
      ))}
    </div>
  );
}

function AudioClip({ wav, label }: { wav: Uint8Array; label: string }) {
  const url = useMemo(() => URL.createObjectURL(new Blob([wav as BlobPart], { type: 'audio/wav' })), [wav]);
  return <audio controls src={url} aria-label={label} preload="none" className="clip" />;
}
