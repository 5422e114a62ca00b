import { useState } from 'react';
import { formatBytes, runLabel, type RunSummary } from '../../worker/runs/storedRun';

interface Props {
  run: RunSummary;
  /** The run the worker is training now. */
  live: boolean;
  displayed: boolean;
  overlaid: boolean;
  onOverlay(): void;
  onOpen(): void;
  onRename(name: string): void;
  onDelete(): void;
  onBundle(): void;
}

function status(run: RunSummary, live: boolean): string {
  const epochs = run.epochs;
  const n = `${epochs} epoch${epochs === 1 ? '' : 's'}`;
  if (run.status === 'training')
    return live ? `training · ${n}` : `interrupted after ${n} (the page closed while it trained)`;
  if (run.status === 'paused') return `paused · ${n}`;
  if (run.status === 'stopped') return `stopped after ${n}`;
  if (run.status === 'diverged') return `diverged · ${n} kept`;
  return `done · ${n}`;
}

/** One stored run: tick to overlay; open, rename, download or delete it. */
export function RunRow({ run, live, displayed, overlaid, onOverlay, onOpen, onRename, onDelete, onBundle }: Props) {
  const [editing, setEditing] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const id = run.id;
  return (
    <li className={`run-item${displayed ? ' run-displayed' : ''}`} data-testid={`stored-run-${id}`}>
      <label>
        <input type="checkbox" checked={overlaid} onChange={onOverlay} data-testid={`run-${id}`} />
        {editing === null ? <span data-testid={`run-label-${id}`}>{runLabel(run)}</span> : <span>#{id}</span>}
      </label>
      {editing !== null && (
        <form
          className="inline"
          onSubmit={(e) => {
            e.preventDefault();
            onRename(editing);
            setEditing(null);
          }}
        >
          <input
            aria-label={`New name for run #${id}`}
            value={editing}
            autoFocus
            onChange={(e) => setEditing(e.target.value)}
            data-testid={`run-name-${id}`}
          />
          <button type="submit">Save</button>
          <button type="button" onClick={() => setEditing(null)}>
            Cancel
          </button>
        </form>
      )}
      <span className="run-status" data-testid={`run-status-${id}`}>
        {status(run, live)}
        {displayed ? ' · on display' : ''} · {formatBytes(run.bytes)}
      </span>
      <span className="run-actions">
        <button onClick={onOpen} disabled={live || run.weightsEpoch === null} data-testid={`run-open-${id}`}>
          Open
        </button>
        <button onClick={() => setEditing(run.name)} data-testid={`run-rename-${id}`}>
          Rename
        </button>
        <button
          onClick={onBundle}
          disabled={run.weightsEpoch === null}
          data-testid={`run-zip-${id}`}
          title="config, metrics (JSON and CSV), weights (both formats) and its charts as PNG"
        >
          ZIP
        </button>
        {confirming ? (
          <>
            <button
              onClick={() => {
                setConfirming(false);
                onDelete();
              }}
              data-testid={`run-delete-confirm-${id}`}
            >
              Delete #{id} for good
            </button>
            <button onClick={() => setConfirming(false)}>Keep</button>
          </>
        ) : (
          <button onClick={() => setConfirming(true)} data-testid={`run-delete-${id}`}>
            Delete
          </button>
        )}
      </span>
    </li>
  );
}
