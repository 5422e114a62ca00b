import type { DataChoice, ExperimentConfig } from '../../core/config';
import type { UploadFile } from '../../core/data/formats/upload';
import type { PendingSettings } from '../settings/usePendingSettings';
import type { TrainingView } from '../useTrainingWorker';
import { DatasetSummary } from './DatasetSummary';
import { ModalityPicker } from './ModalityPicker';
import { GeneratorControls } from './GeneratorControls';
import { UploadControls } from './UploadControls';

interface Props {
  view: TrainingView;
  config: ExperimentConfig;
  pending: PendingSettings;
  busy: boolean;
  onConfig(c: ExperimentConfig): void;
  onUpload(files: UploadFile[], name: string): void;
  onModalities(names: string[]): void;
}

/** The dataset picker: built-in generators and the last upload; choosing one installs it at once. */
export function DatasetSelect({ view, config, busy, onConfig }: Pick<Props, 'view' | 'config' | 'busy' | 'onConfig'>) {
  const uploaded = view.installed?.data.kind === 'upload' ? view.installed.data.uploadName : null;
  return (
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
  );
}

export function DataPanel({ view, config, pending, busy, onConfig, onUpload, onModalities }: Props) {
  return (
    <div className="data-panel">
      {config.data.kind === 'toy2d' && (
        <GeneratorControls group="toy2d" id="toy" pending={pending} disabled={busy} onApply={onConfig} />
      )}
      {config.data.kind === 'audioVisual' && (
        <GeneratorControls group="audioVisual" id="av" pending={pending} disabled={busy} onApply={onConfig} />
      )}
      <UploadControls disabled={busy} onFiles={onUpload} />
      <DataNotice notice={view.dataNotice} />
      <ModalityPicker available={view.available} selected={config.modalities} disabled={busy} onChange={onModalities} />
      <DatasetSummary dataset={view.dataset} />
    </div>
  );
}

function DataNotice({ notice }: { notice: TrainingView['dataNotice'] }) {
  if (!notice) return null;
  if (notice.kind === 'progress')
    return (
      <div className="notice" role="status" data-testid="data-progress">
        <progress max={1} value={notice.fraction} aria-label="Reading the upload" /> {notice.text}
      </div>
    );
  const text =
    notice.kind === 'upload-error'
      ? `Upload refused: ${notice.text}. The current dataset is unchanged.`
      : `${notice.text}. The selection is unchanged.`;
  return (
    <p className="message" role="alert" data-testid="data-error">
      {text}
    </p>
  );
}
