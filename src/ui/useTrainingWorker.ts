import { useEffect, useState } from 'react';
import type { BackendChoice } from '../core/backend/backendNames';
import type { ExperimentConfig } from '../core/config';
import type { InjectedFault } from '../worker/faultInjection';
import { EMPTY, type TrainingView } from './trainingView';
import { WorkerSupervisor } from './workerSupervisor';

export type { TrainingView };

/**
 * The training worker for the page (see WorkerSupervisor: a new backend or a failure replaces it
 * and restores what was on display). `config` is what the first worker starts from; later ones
 * start from what the worker last installed. The view holds what the worker streams; `call` asks it
 * one-off queries, whose answers go to the caller alone.
 */
export function useTrainingWorker(backend: BackendChoice, config: ExperimentConfig) {
  const [view, setView] = useState<TrainingView>(EMPTY);
  const [supervisor] = useState(
    () => new WorkerSupervisor(config, setView, new URLSearchParams(location.search).has('faults')),
  );
  useEffect(() => supervisor.setBackend(backend), [supervisor, backend]);
  useEffect(() => () => supervisor.dispose(), [supervisor]);
  // Browser tests inject faults through this; it exists only on a page opened with ?faults.
  useEffect(() => {
    if (!new URLSearchParams(location.search).has('faults')) return;
    const w = window as unknown as { __crmtFaults?: { inject(f: InjectedFault): void } };
    w.__crmtFaults = { inject: (fault) => supervisor.inject(fault) };
    return () => void delete w.__crmtFaults;
  }, [supervisor]);
  return { view, send: supervisor.send, call: supervisor.call };
}
