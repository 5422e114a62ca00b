import { memo, useEffect, useMemo, useRef, useState } from 'react';
import type { BackendChoice } from '../core/backend/backendNames';
import { AttackPanel } from './attack/AttackPanel';
import { BackendChip } from './BackendChip';
import { KeepPanel } from './keep/KeepPanel';
import { SettingsPanel } from './settings/SettingsPanel';
import { BoundaryPanel } from './boundary/BoundaryPanel';
import { RunsPanel as RunsPanelAll } from './runs/RunsPanel';
import { DataPanel } from './data/DataPanel';
import { CertifiedViews as CertifiedViewsAll } from './charts/CertifiedViews';
import { IntegrationWeights as IntegrationWeightsAll } from './charts/IntegrationWeights';
import { LearningCurves as LearningCurvesAll } from './charts/LearningCurves';
import { MarginBands as MarginBandsAll } from './charts/MarginBands';
import { MetricsSummary } from './MetricsSummary';
import { PhaseSteps } from './PhaseSteps';
import { ProgressBar } from './ProgressBar';
import { TrainingControls } from './TrainingControls';
import { backendFromSearch, searchWithBackend } from './urlState';
import { configFromHash, configToHash } from '../core/params/urlHash';
import { MethodPicker } from './MethodPicker';
import type { ExperimentConfig } from '../core/config';
import { useThrottled } from './useThrottled';
import { useTrainingWorker } from './useTrainingWorker';
import { pagePngs } from './charts/chartPng';
import { runChartPngs } from './charts/runChartPngs';
import { classNamesOf } from './keep/runBundle';
import { download } from './keep/download';
import { bundleName, runBundle } from './keep/runBundle';

// Charts change once per epoch; progress snapshots arrive many times a second and must not redraw them.
const LearningCurves = memo(LearningCurvesAll);
const MarginBands = memo(MarginBandsAll);
const IntegrationWeights = memo(IntegrationWeightsAll);
const CertifiedViews = memo(CertifiedViewsAll);
const RunsPanel = memo(RunsPanelAll);

export function App() {
  const [backend, setBackend] = useState<BackendChoice>(() => backendFromSearch(location.search));
  const [requested, setRequested] = useState(() => configFromHash(location.hash));
  const [overlaid, setOverlaid] = useState<number[]>([]);
  const { view, send, call } = useTrainingWorker(backend, requested);
  const stored = view.stored;
  // The stored run whose curves are on display: one opened from the list, else the one training now.
  const displayed = view.opened ?? (view.history.length > 0 ? stored.current : null);
  const displayedRef = useRef(displayed);
  useEffect(() => {
    displayedRef.current = displayed;
  }, [displayed]);
  const [runError, setRunError] = useState<string | null>(null);
  const runActions = useMemo(() => {
    const act = (id: number, doing: string, work: () => Promise<unknown>) =>
      work().then(
        () => setRunError(null),
        (e: Error) => setRunError(`Run #${id} could not be ${doing}: ${e.message}`),
      );
    return {
      onOpen: (id: number) => act(id, 'opened', () => call({ type: 'openRun', id })),
      onRename: (id: number, name: string) => act(id, 'renamed', () => call({ type: 'renameRun', id, name })),
      onDelete: (id: number) => act(id, 'deleted', () => call({ type: 'deleteRun', id })),
      onBundle: (id: number) =>
        act(id, 'bundled', async () => {
          const { run, weights } = await call({ type: 'runFiles', id });
          // The run on display: every chart on the page (attack and boundary views too); another run: its own curves.
          const charts =
            run.id === displayedRef.current
              ? await pagePngs(document)
              : await runChartPngs(run.history, run.modalities, classNamesOf(weights));
          download(`${bundleName(run)}.zip`, runBundle(run, weights, charts), 'application/zip');
        }),
    };
  }, [call]);
  // What the worker installed is the truth; until it answers, what was asked for.
  const config = view.installed ?? requested;
  const busy = view.state === 'training' || view.state === 'starting';
  const modalityNames = useMemo(() => view.dataset?.modalities.map((m) => m.name) ?? [], [view.dataset]);
  const classes = useMemo(() => view.dataset?.classes ?? [], [view.dataset]);
  // The charts redraw at most twice a second, however fast the epochs go.
  const chartHistory = useThrottled(view.history, 500);
  // Bumps whenever the weights change in a way the attack and boundary views should see: every
  // epoch while training (at most every 1.5 s), every step otherwise. A new model is seen at once.
  const modelVersion = useThrottled(
    `${view.history.length}:${view.state === 'training' ? 0 : (view.progress?.step ?? 0)}`,
    1500,
  );

  useEffect(() => {
    if (view.installed)
      history.replaceState(null, '', `${location.pathname}${location.search}${configToHash(view.installed)}`);
  }, [view.installed]);

  const changeConfig = (next: ExperimentConfig) => {
    setRequested(next);
    send({ type: 'load', config: next });
  };

  const chooseBackend = (b: BackendChoice) => {
    history.replaceState(null, '', `${location.pathname}${searchWithBackend(location.search, b)}${location.hash}`);
    setBackend(b);
  };

  return (
    <div className="app">
      <header>
        <h1>CRMT Lab</h1>
        <p className="tagline">Multi-modal robustness, trained in your browser. Nothing leaves this machine.</p>
        <BackendChip info={view.backend} choice={backend} onChoose={chooseBackend} />
      </header>
      <main>
        <section aria-labelledby="data-h">
          <h2 id="data-h">Data</h2>
          <DataPanel
            view={view}
            config={config}
            busy={busy}
            onConfig={changeConfig}
            onUpload={(files, name) => send({ type: 'upload', files, name })}
            onModalities={(names) => send({ type: 'selectModalities', names })}
          />
        </section>
        <section aria-labelledby="train-h">
          <h2 id="train-h">Train</h2>
          <MethodPicker
            method={config.train.method}
            disabled={busy}
            onChange={(method) => changeConfig({ ...config, train: { ...config.train, method } })}
          />
          <SettingsPanel config={config} disabled={busy} onApply={changeConfig} />
          <TrainingControls
            state={view.state}
            onTrain={() => send({ type: 'train' })}
            onPause={() => send({ type: 'pause' })}
            onStep={() => send({ type: 'step' })}
            onReset={() => send({ type: 'reset' })}
          />
          <PhaseSteps plan={view.plan} progress={view.progress} finished={view.state === 'done'} />
          <ProgressBar progress={view.progress} epochs={config.train.epochs} />
          {view.message && (
            <p className="message" role="alert" data-testid="message">
              {view.message}
            </p>
          )}
          {view.fault && (
            <p className="message" role="alert" data-testid="fault">
              {view.fault}
            </p>
          )}
          <KeepPanel
            view={view}
            call={call}
            onConfig={changeConfig}
            onBundle={displayed === null ? null : () => runActions.onBundle(displayed)}
          />
          <MetricsSummary
            progress={view.progress}
            history={view.history}
            modalities={view.dataset?.modalities.map((m) => m.name) ?? []}
          />
        </section>
        <section aria-labelledby="attack-h">
          <h2 id="attack-h">Attack</h2>
          <AttackPanel
            dataset={view.dataset}
            model={view.modelSerial}
            modelVersion={modelVersion}
            epoch={view.history.at(-1)?.runEpoch ?? 0}
            call={call}
          />
        </section>
        <section aria-labelledby="boundary-h">
          <h2 id="boundary-h">Decision boundaries</h2>
          <BoundaryPanel dataset={view.dataset} model={view.modelSerial} modelVersion={modelVersion} call={call} />
        </section>
        <section aria-labelledby="runs-h">
          <h2 id="runs-h">Compare runs</h2>
          {runError && (
            <p className="message" role="alert" data-testid="run-error">
              {runError}
            </p>
          )}
          <RunsPanel stored={stored} displayed={displayed} selected={overlaid} onSelect={setOverlaid} {...runActions} />
        </section>
        <section aria-labelledby="watch-h">
          <h2 id="watch-h">Watch</h2>
          <LearningCurves history={chartHistory} modalities={modalityNames} />
          <MarginBands history={chartHistory} modalities={modalityNames} />
          <IntegrationWeights history={chartHistory} modalities={modalityNames} classes={classes} />
          <CertifiedViews history={chartHistory} modalities={modalityNames} />
        </section>
      </main>
    </div>
  );
}
