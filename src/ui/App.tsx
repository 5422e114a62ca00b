import { memo, useCallback, useEffect, useMemo, useState } from 'react';
import type { BackendChoice } from '../core/backend/backendNames';
import type { ExperimentConfig } from '../core/config';
import { configFromHash, configToHash } from '../core/params/urlHash';
import type { WatchedAttack } from '../worker/epochAttack';
import { AttackPanel as AttackPanelAll } from './attack/AttackPanel';
import { BackendChip } from './BackendChip';
import { BoundaryPanel as BoundaryPanelAll } from './boundary/BoundaryPanel';
import { CertifiedCurves as CertifiedCurvesAll, RadiusHistogram as RadiusHistogramAll } from './charts/CertifiedViews';
import { featureCount } from './charts/EpsScale';
import { IntegrationWeights as IntegrationWeightsAll } from './charts/IntegrationWeights';
import { LearningCurves as LearningCurvesAll } from './charts/LearningCurves';
import { LocalBoundPanel } from './charts/LocalBoundPanel';
import { useLocalBound } from './charts/useLocalBound';
import { MarginBands as MarginBandsAll } from './charts/MarginBands';
import { DataPanel, DatasetSelect } from './data/DataPanel';
import { DemoPanel } from './demo/DemoPanel';
import { focusTarget } from './focusTarget';
import { useDemo } from './demo/useDemo';
import { KeepPanel } from './keep/KeepPanel';
import { MethodPicker } from './MethodPicker';
import { MetricsSummary } from './MetricsSummary';
import { describeDisplay, OnDisplay } from './OnDisplay';
import { PhaseSteps } from './PhaseSteps';
import { ProgressBar } from './ProgressBar';
import { RunsPanel as RunsPanelAll } from './runs/RunsPanel';
import { useRunActions } from './runs/useRunActions';
import { SettingsPanel } from './settings/SettingsPanel';
import { usePendingSettings } from './settings/usePendingSettings';
import { TrainingControls } from './TrainingControls';
import { backendFromSearch, searchWithBackend } from './urlState';
import { useStaggered } from './useStaggered';
import { useThrottled } from './useThrottled';
import { useTrainingWorker } from './useTrainingWorker';

// Charts change once per epoch; progress snapshots arrive many times a second and must not redraw them.
const LearningCurves = memo(LearningCurvesAll);
const MarginBands = memo(MarginBandsAll);
const IntegrationWeights = memo(IntegrationWeightsAll);
const CertifiedCurves = memo(CertifiedCurvesAll);
const RadiusHistogram = memo(RadiusHistogramAll);
const RunsPanel = memo(RunsPanelAll);
const AttackPanel = memo(AttackPanelAll);
// Its props change with the model, not with progress: its plane and canvases are not drawn again on every snapshot.
const BoundaryPanel = memo(BoundaryPanelAll);

export function App() {
  const [backend, setBackend] = useState<BackendChoice>(() => backendFromSearch(location.search));
  const [requested, setRequested] = useState(() => configFromHash(location.hash));
  const [overlaid, setOverlaid] = useState<number[]>([]);
  const [demoOpen, setDemoOpen] = useState(false);
  const { view, send, call } = useTrainingWorker(backend, requested);
  const stored = view.stored;
  // What the worker installed is the truth; until it answers, what was asked for.
  const config = view.installed ?? requested;
  const pending = usePendingSettings(config);
  const { revert } = pending;
  // The stored run whose curves are on display: one opened from the list, else the one training now.
  const displayed = view.opened ?? (view.history.length > 0 ? stored.current : null);
  const runActions = useRunActions(call, view, displayed, revert);
  const busy = view.state === 'training' || view.state === 'starting';
  const modalityNames = useMemo(() => view.dataset?.modalities.map((m) => m.name) ?? [], [view.dataset]);
  const classes = useMemo(() => view.dataset?.classes ?? [], [view.dataset]);
  const modalityDims = useMemo(() => view.dataset?.modalities.map((m) => featureCount(m.shape)), [view.dataset]);
  // What the charts show: the run's epochs, or a loaded model's evaluation as it stands.
  const shown = useMemo(
    () => (view.history.length === 0 && view.loadedModel ? [view.loadedModel.record] : view.history),
    [view.history, view.loadedModel],
  );
  // The charts redraw at most every half second however fast the epochs go, one chart at a time.
  const [curvesHistory, marginsHistory, certifiedHistory, weightsHistory, radiiHistory, chartHistory] = useStaggered(
    shown,
    6,
    500,
    40,
  );
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

  const changeConfig = useCallback(
    (next: ExperimentConfig) => {
      setRequested(next);
      send({ type: 'load', config: next });
    },
    [send],
  );
  /** Start and Step run what the panels show: pending edits are installed first, as a new run. */
  const runShown = (command: 'train' | 'step') => {
    if (pending.invalid.length > 0) return;
    if (pending.changed.length > 0) changeConfig(pending.next);
    send({ type: command });
  };
  const local = useLocalBound(call, view.modelSerial);
  const localView = local.state?.view ?? null;
  const onWatch = useCallback((attack: WatchedAttack | null) => send({ type: 'watchAttack', attack }), [send]);
  const demo = useDemo(view, {
    install: (c) => {
      revert();
      changeConfig(c);
    },
    train: () => send({ type: 'train' }),
    call,
    onRuns: setOverlaid,
  });
  const startDemo = () => {
    setDemoOpen(true);
    void demo.start();
    document.getElementById('main')?.scrollIntoView({ block: 'start' });
  };

  const chooseBackend = (b: BackendChoice) => {
    history.replaceState(null, '', `${location.pathname}${searchWithBackend(location.search, b)}${location.hash}`);
    setBackend(b);
  };
  const openedRun = stored.runs.find((r) => r.id === view.opened) ?? null;
  const storedProgress = openedRun
    ? { label: `run #${openedRun.id} on display`, fraction: 1, epochs: `${openedRun.epochs} epochs stored` }
    : view.loadedModel
      ? { label: 'loaded model on display', fraction: 0, epochs: 'trained elsewhere' }
      : null;

  return (
    <div className="app">
      <a className="skip-link" href="#run-controls" onClick={focusTarget}>
        Skip to the training controls
      </a>
      <header className="topbar">
        <h1>CRMT Lab</h1>
        <p className="tagline">Multi-modal robustness, trained in your browser; nothing leaves this machine.</p>
        <button
          className="show-me"
          onClick={startDemo}
          disabled={demo.status.phase === 'running'}
          data-testid="show-me"
        >
          Show me the paper&apos;s story
        </button>
        <BackendChip info={view.backend} choice={backend} onChoose={chooseBackend} />
      </header>
      <div className="layout">
        <aside className="rail" aria-label="Experiment">
          <section id="run-controls" aria-labelledby="run-h" tabIndex={-1}>
            <h2 id="run-h">Run</h2>
            <div className="pickers">
              <DatasetSelect view={view} config={config} busy={busy} onConfig={changeConfig} />
              <MethodPicker
                method={config.train.method}
                disabled={busy}
                onChange={(method) => changeConfig({ ...config, train: { ...config.train, method } })}
              />
            </div>
            <TrainingControls
              state={view.state}
              changed={pending.changed}
              invalid={pending.invalid}
              errors={pending.errors}
              canReset={
                view.progress !== null || view.history.length > 0 || view.loadedModel !== null || view.opened !== null
              }
              onTrain={() => runShown('train')}
              onPause={() => send({ type: 'pause' })}
              onStep={() => runShown('step')}
              onReset={() => send({ type: 'reset' })}
              onRevert={revert}
            />
            <ProgressBar
              progress={view.progress}
              state={view.state}
              epochs={config.train.epochs}
              stored={view.progress ? null : storedProgress}
              snapshot={view.lastSnapshot}
            />
            <PhaseSteps plan={view.plan} progress={view.progress} finished={view.state === 'done'} />
            <OnDisplay text={describeDisplay(view, config, openedRun)} />
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
          </section>
          <section aria-labelledby="data-h">
            <h2 id="data-h">Data</h2>
            <DataPanel
              view={view}
              config={config}
              pending={pending}
              busy={busy}
              onConfig={changeConfig}
              onUpload={(files, name) => send({ type: 'upload', files, name })}
              onModalities={(names) => send({ type: 'selectModalities', names })}
            />
          </section>
          <section aria-labelledby="settings-h">
            <h2 id="settings-h">Model and method settings</h2>
            <SettingsPanel pending={pending} disabled={busy} onApply={changeConfig} />
          </section>
          <section aria-labelledby="keep-h">
            <h2 id="keep-h">Keep</h2>
            <KeepPanel
              view={view}
              call={call}
              onConfig={(c) => {
                revert();
                changeConfig(c);
              }}
              onModelLoaded={revert}
              onBundle={
                displayed !== null
                  ? () => runActions.onBundle(displayed)
                  : view.loadedModel
                    ? runActions.onLoadedBundle
                    : null
              }
            />
          </section>
        </aside>
        <main id="main">
          {demoOpen && (
            <DemoPanel
              status={demo.status}
              results={demo.results}
              modalities={modalityNames}
              onStart={() => void demo.start()}
              onClose={() => setDemoOpen(false)}
            />
          )}
          <MetricsSummary
            progress={view.progress}
            history={shown}
            modalities={modalityNames}
            method={config.train.method}
          />
          <section aria-labelledby="watch-h" className="watch">
            <h2 id="watch-h">Watch</h2>
            <div className="chart-grid">
              <LearningCurves history={curvesHistory} modalities={modalityNames} />
              <MarginBands history={marginsHistory} modalities={modalityNames} />
              <CertifiedCurves
                history={certifiedHistory}
                modalities={modalityNames}
                dims={modalityDims}
                local={localView}
              />
              <IntegrationWeights history={weightsHistory} modalities={modalityNames} classes={classes} />
              <RadiusHistogram history={radiiHistory} local={localView} />
            </div>
            {/* Below the charts: at 1440×900 the key charts stay on screen beside the run controls. */}
            <LocalBoundPanel
              state={local.state}
              ready={shown.length > 0}
              eps={config.attack.eps}
              samples={config.attack.localBound}
              validation={view.dataset?.counts.val ?? 0}
              onAsk={() => local.ask(shown.at(-1)?.runEpoch ?? 0)}
            />
          </section>
          <section aria-labelledby="attack-h">
            <h2 id="attack-h">Attack</h2>
            <AttackPanel
              dataset={view.dataset}
              model={view.modelSerial}
              modelVersion={modelVersion}
              history={chartHistory}
              training={view.state === 'training'}
              call={call}
              attackBudget={config.attack.budget}
              onWatch={onWatch}
            />
          </section>
          <section aria-labelledby="boundary-h">
            <h2 id="boundary-h">Decision boundaries</h2>
            <BoundaryPanel
              dataset={view.dataset}
              model={view.modelSerial}
              modelVersion={modelVersion}
              call={call}
              local={localView}
            />
          </section>
          <section aria-labelledby="runs-h">
            <h2 id="runs-h">Compare runs</h2>
            {runActions.runError && (
              <p className="message" role="alert" data-testid="run-error">
                {runActions.runError}
              </p>
            )}
            <RunsPanel
              stored={stored}
              displayed={displayed}
              selected={overlaid}
              onSelect={setOverlaid}
              onOpen={runActions.onOpen}
              onRename={runActions.onRename}
              onDelete={runActions.onDelete}
              onBundle={runActions.onBundle}
            />
          </section>
        </main>
      </div>
    </div>
  );
}
