import { useState } from 'react';
import type { DatasetSummary } from '../../core/data/summary';
import { MarginPlane } from './MarginPlane';
import { ChartFigure } from '../charts/ChartFigure';
import { PlaneCanvas } from './PlaneCanvas';
import { classLabel } from '../classLabel';
import type { LocalBoundView } from '../../core/robust/localBoundView';
import { classColour, LOCAL_COLOUR } from '../palette';
import { Legend } from '../plot/Legend';
import { NumberField } from '../settings/NumberField';
import { useWorkerView } from '../useWorkerView';
import type { Call } from '../workerClient';

interface Props {
  dataset: DatasetSummary | null;
  /** Which model is loaded: a new one (load, reset, import) clears the picture until it is drawn anew. */
  model: number;
  /** Changes as the model trains: the panel redraws. */
  modelVersion: string;
  call: Call;
  /** The local bound, once asked for: its single-modality radii are circled too. */
  local?: LocalBoundView | null;
}

/** Decision regions per modality (2-D data), the margin plane, and the attack slice, around one validation sample. */
export function BoundaryPanel({ dataset, model, modelVersion, call, local = null }: Props) {
  const [sample, setSample] = useState(0);
  const [eps, setEps] = useState(0.5);
  const { answer: view, error } = useWorkerView(
    call,
    dataset ? { type: 'boundaries', request: { sample, eps } } : null,
    { scope: String(model), version: modelVersion, delayMs: 150, keepWhileAsking: true },
  );
  if (!dataset) return <p className="empty">Loading…</p>;
  const names = dataset.modalities.map((m) => m.name);
  const cls = (k: number) => dataset.classes[k] ?? String(k);
  return (
    <div className="boundary-panel">
      <div className="controls">
        <NumberField
          label="Sample"
          testId="boundary-sample"
          value={sample}
          onValue={setSample}
          min={0}
          max={Math.max(0, dataset.counts.val - 1)}
          integer
        />
        <NumberField label="ε" testId="boundary-eps" value={eps} onValue={setEps} min={0} max={10} />
        {view && (
          <span data-testid="boundary-sample-info">
            Sample {view.sample.index}: {classLabel(dataset.classes, view.sample.label)}, predicted{' '}
            {cls(view.sample.prediction)}
          </span>
        )}
      </div>
      {error ? (
        <p className="message" role="alert" data-testid="boundary-error">
          The decision boundaries could not be drawn: {error}
        </p>
      ) : !view ? (
        <p className="empty">Drawing…</p>
      ) : (
        <>
          {view.planes && (
            <ChartFigure
              id="boundary-planes"
              title="Decision regions"
              caption={`over each modality's plane with the other modality fixed at the sample: left, that branch alone; right, the fused model. Dots are validation samples (ringed in black when the fused model gets them wrong); circles their sound radius when only this modality is attacked${local ? ` (dashed: their local (CROWN) radius, a guarantee too, on the first ${local.local.samples} samples)` : ''}; the arrow PGD-ℓ2 on the sample at ε = ${view.request.eps}.`}
              summary={`${view.sample.index}:${view.request.eps}`}
              empty={null}
            >
              <Legend
                colours={[
                  ...dataset.classes.map((c, k) => ({ label: c, colour: classColour(k), swatch: 'dot' as const })),
                  { label: 'misclassified (fused)', colour: '#000000', swatch: 'ring' as const },
                  ...(local ? [{ label: 'local radius (CROWN)', colour: LOCAL_COLOUR, swatch: 'ring' as const }] : []),
                ]}
              />
              <div className="planes">
                {view.planes.map((p) => (
                  <div key={p.modality} className="plane-pair">
                    <PlaneCanvas
                      grid={p.grid}
                      cells={p.grid.branch!}
                      points={p.points}
                      label={`${p.modality}: branch ${p.modality} alone`}
                      testId={`plane-branch-${p.modality}`}
                      axes={{ x: `${p.modality}₁`, y: `${p.modality}₂` }}
                    />
                    <PlaneCanvas
                      grid={p.grid}
                      cells={p.grid.fused}
                      points={p.points}
                      circles
                      localRadii={local?.perModality[names.indexOf(p.modality)] ?? null}
                      arrow={p.arrow}
                      label={`${p.modality}: fused decision, radii and attack`}
                      testId={`plane-fused-${p.modality}`}
                      axes={{ x: `${p.modality}₁`, y: `${p.modality}₂` }}
                    />
                    <span className="plane-title" data-png-text>
                      {p.modality}: branch alone · fused with radii and attack
                    </span>
                  </div>
                ))}
              </div>
            </ChartFigure>
          )}
          <MarginPlane view={view} modalities={names} />
          <ChartFigure
            id="boundary-slice"
            title="Attack slice"
            caption={`the fused decision on a 2-D slice of the whole input around the sample (ringed): left–right along the attack direction (steepest loss ascent, joint ℓ2), up–down along a random direction orthogonal to it, ±${view.slice.x1.toFixed(2)} standardised units. Works for inputs of any size.`}
            summary={`${view.sample.index}:${view.request.eps}`}
            empty={null}
          >
            <PlaneCanvas
              grid={view.slice}
              cells={view.slice.fused}
              centre
              label="fused decision on the attack slice"
              testId="slice-canvas"
              axes={{ x: 'attack direction', y: 'random direction' }}
            />
          </ChartFigure>
        </>
      )}
    </div>
  );
}
