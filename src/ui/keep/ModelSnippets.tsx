import { memo, useMemo, useState } from 'react';
import { loadingSnippets, type SnippetModel } from '../../core/io/interop/snippets';

/**
 * How to load the downloaded model in TensorFlow.js, ONNX Runtime (web and Python) and PyTorch,
 * with this model's input names and shapes; the same text as the ZIP's README.txt. Memoised: the
 * model's shape stays while a run trains.
 */
export const ModelSnippets = memo(function ModelSnippets({ model }: { model: SnippetModel }) {
  const snippets = useMemo(() => loadingSnippets(model), [model]);
  const [copied, setCopied] = useState<string | null>(null);
  return (
    <details className="snippets" data-testid="model-snippets">
      <summary>Load the model elsewhere: TensorFlow.js, ONNX Runtime, PyTorch</summary>
      <p>
        Unzip <b>Download model (ZIP)</b> into a folder <code>model/</code>. Every format takes raw values, one row per
        sample, and standardises them inside.
      </p>
      {snippets.map((s) => (
        <figure key={s.id} data-testid={`snippet-${s.id}`}>
          <figcaption>
            {s.title}{' '}
            <button
              type="button"
              onClick={() =>
                void navigator.clipboard?.writeText(s.code).then(
                  () => setCopied(s.id),
                  () => setCopied(null),
                )
              }
            >
              {copied === s.id ? 'Copied' : 'Copy'}
            </button>
          </figcaption>
          <pre>
            <code>{s.code}</code>
          </pre>
        </figure>
      ))}
    </details>
  );
});
