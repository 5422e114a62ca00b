import { useEffect, useMemo, useRef, useState } from 'react';
import type { EpochRecord } from '../../core/train/snapshot';
import type { StoredRun } from '../../worker/runs/storedRun';
import { pagePngs } from '../charts/chartPng';
import { runChartPngs } from '../charts/runChartPngs';
import { download } from '../keep/download';
import { bundleName, classNamesOf, runBundle } from '../keep/runBundle';
import type { TrainingView } from '../useTrainingWorker';
import type { Call } from '../workerClient';

/**
 * Open, rename, delete and download stored runs; and the bundle of a model loaded from files,
 * which has no stored run: its weights as the worker exports them, its evaluation and the page's charts.
 */
export function useRunActions(call: Call, view: TrainingView, displayed: number | null, onOpened: () => void) {
  const [runError, setRunError] = useState<string | null>(null);
  const displayedRef = useRef(displayed);
  const viewRef = useRef(view);
  useEffect(() => {
    displayedRef.current = displayed;
    viewRef.current = view;
  });
  const actions = useMemo(() => {
    const act = (what: string, doing: string, work: () => Promise<unknown>) =>
      work().then(
        () => setRunError(null),
        (e: Error) => setRunError(`${what} could not be ${doing}: ${e.message}`),
      );
    return {
      onOpen: (id: number) =>
        act(`Run #${id}`, 'opened', async () => {
          await call({ type: 'openRun', id });
          onOpened();
        }),
      onRename: (id: number, name: string) => act(`Run #${id}`, 'renamed', () => call({ type: 'renameRun', id, name })),
      onDelete: (id: number) => act(`Run #${id}`, 'deleted', () => call({ type: 'deleteRun', id })),
      onBundle: (id: number) =>
        act(`Run #${id}`, 'bundled', async () => {
          const { run, weights } = await call({ type: 'runFiles', id });
          // The run on display: every chart on the page (attack and boundary views too); another run: its own curves.
          const charts =
            run.id === displayedRef.current
              ? await pagePngs(document)
              : await runChartPngs(run.history, run.modalities, classNamesOf(weights));
          download(`${bundleName(run)}.zip`, runBundle(run, weights, charts), 'application/zip');
        }),
      onLoadedBundle: () =>
        act('The loaded model', 'bundled', async () => {
          const v = viewRef.current;
          if (!v.loadedModel || !v.installed) throw new Error('no loaded model is on display');
          const { files } = await call({ type: 'export' });
          const run: StoredRun = {
            id: 0,
            name: `loaded ${v.loadedModel.source}`,
            createdAt: Date.now(),
            updatedAt: Date.now(),
            status: 'done',
            config: v.installed,
            dataset: v.dataset?.name ?? '',
            modalities: v.dataset?.modalities.map((m) => m.name) ?? [],
            history: v.history,
            weightsEpoch: null,
            weightBytes: 0,
            bytes: 0,
          };
          const evaluation: EpochRecord = v.loadedModel.record;
          const zip = runBundle(run, files, await pagePngs(document), {
            'evaluation.json': JSON.stringify({ source: v.loadedModel.source, asLoaded: evaluation }, null, 2),
          });
          download(`${bundleName(run)}.zip`, zip, 'application/zip');
        }),
    };
  }, [call, onOpened]);
  return { ...actions, runError };
}
