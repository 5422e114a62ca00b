import type { DataChoice, ExperimentConfig } from '../../core/config';
import { AudioVisualControls } from './AudioVisualControls';
import type { UploadFile } from '../../core/data/upload';
import type { TrainingView } from '../useTrainingWorker';
import { DatasetSummary } from './DatasetSummary';
import { ModalityPicker } from './ModalityPicker';
import { ToyControls } from './ToyControls';
import { UploadControls } from './UploadControls';

interface Props {
  view: TrainingView;
  config: ExperimentConfig;
  busy: boolean;
  onConfig(c: ExperimentConfig): void;
  onUpload(files: UploadFile[], name: string): void;
  onModalities(names: string[]): void;
}

export function DataPanel({ view, config, busy, onConfig, onUpload, onModalities }: Props) {
  const uploaded = view.installed?.data.kind === 'upload' ? view.installed.data.uploadName : null;
  return (
    <div className="data-panel">
      <label className="inline">
        Dataset
        <select
          value={config.data.kind}
          disabled={busy}
          data-testid="dataset-select"
          onChange={(e) =>
            onConfig({
              ...config,
              data: { ...config.data, kind: e.target.value as DataChoice['kind'] },
              modalities: [],
            })
          }
        >
          <option value="toy2d">Built-in: 2-D × 2-D toy</option>
          <option value="audioVisual">Built-in: synthetic audio-visual (shapes + tones)</option>
          {uploaded && <option value="upload">Uploaded: {uploaded}</option>}
        </select>
      </label>
      {config.data.kind === 'toy2d' && (
        <ToyControls
          params={config.data.toy2d}
          disabled={busy}
          onApply={(toy2d) => onConfig({ ...config, data: { ...config.data, toy2d } })}
        />
      )}
      {config.data.kind === 'audioVisual' && (
        <AudioVisualControls
          params={config.data.audioVisual}
          disabled={busy}
          onApply={(audioVisual) => onConfig({ ...config, data: { ...config.data, audioVisual } })}
        />
      )}
      <UploadControls disabled={busy} onFiles={onUpload} />
      {view.dataNotice && (
        <p
          className={view.dataNotice.kind === 'error' ? 'message' : 'notice'}
          role={view.dataNotice.kind === 'error' ? 'alert' : 'status'}
          data-testid={view.dataNotice.kind === 'error' ? 'data-error' : 'data-progress'}
        >
          {view.dataNotice.kind === 'error'
            ? `Upload refused: ${view.dataNotice.text}. The current dataset is unchanged.`
            : view.dataNotice.text}
        </p>
      )}
      <ModalityPicker available={view.available} selected={config.modalities} disabled={busy} onChange={onModalities} />
      <DatasetSummary dataset={view.dataset} />
    </div>
  );
}
