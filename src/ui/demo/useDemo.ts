import { useCallback, useEffect, useRef, useState } from 'react';
import { DEFAULT_CONFIG, type ExperimentConfig } from '../../core/config';
import { certifiedAt } from '../../core/robust/certification';
import type { TrainingView } from '../useTrainingWorker';
import type { Call } from '../workerClient';
import type { MethodResult } from './story';

/** The attack budget and the certified ε the story reads (standardised units), chosen where the default toy shows the effect. */
export const DEMO_EPS = 1;
export const DEMO_CERTIFIED_EPS = 0.25;
/** jt first (the preference), crmt-jt (what CRMT changes), ojt (the ablation). */
export const DEMO_METHODS = ['jt', 'crmt-jt', 'ojt'] as const;

export type DemoStatus =
  | { phase: 'idle' }
  | { phase: 'running'; doing: string; method: number; startedAt: number }
  | { phase: 'finished'; seconds: number }
  | { phase: 'failed'; message: string };

interface Actions {
  /** Installs an experiment (the page's own path: URL, settings, run store follow). */
  install(c: ExperimentConfig): void;
  train(): void;
  call: Call;
  /** The runs trained, to overlay in Compare runs. */
  onRuns(ids: number[]): void;
}

/** The built-in toy with its defaults, made for the story, and the method's defaults. */
export function demoConfig(method: (typeof DEMO_METHODS)[number]): ExperimentConfig {
  return { ...DEFAULT_CONFIG, train: { ...DEFAULT_CONFIG.train, method } };
}

const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;

/**
 * "Show me": trains jt, crmt-jt and ojt on the built-in toy through the page's own controls (so
 * every chart moves and every run is stored), and measures each the same way: branch and clean
 * accuracy and certified accuracy from its last epoch, PGD on each modality alone from the
 * worker's attack view.
 */
export function useDemo(view: TrainingView, actions: Actions) {
  const [status, setStatus] = useState<DemoStatus>({ phase: 'idle' });
  const [results, setResults] = useState<MethodResult[]>([]);
  const latest = useRef(view);
  const waiters = useRef<{ test: (v: TrainingView) => boolean; resolve(): void }[]>([]);
  const act = useRef(actions);
  const running = useRef(false);
  useEffect(() => {
    act.current = actions;
  });
  useEffect(() => {
    latest.current = view;
    waiters.current = waiters.current.filter((w) => {
      if (!w.test(view)) return true;
      w.resolve();
      return false;
    });
  }, [view]);

  const until = useCallback(
    (test: (v: TrainingView) => boolean, what: string, ms = 180_000) =>
      new Promise<void>((resolve, reject) => {
        const check = (v: TrainingView) => {
          if (v.state === 'failed' || v.state === 'diverged') throw new Error(`the run ${v.state} while ${what}`);
          return test(v);
        };
        try {
          if (check(latest.current)) return resolve();
        } catch (e) {
          return reject(e);
        }
        const timer = setTimeout(() => reject(new Error(`timed out while ${what}`)), ms);
        waiters.current.push({
          test: (v) => {
            try {
              return check(v);
            } catch (e) {
              clearTimeout(timer);
              reject(e);
              return true;
            }
          },
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
      }),
    [],
  );

  const start = useCallback(async () => {
    if (running.current) return;
    running.current = true;
    const startedAt = performance.now();
    const measured: MethodResult[] = [];
    const runs: number[] = [];
    setResults([]);
    try {
      for (const [i, method] of DEMO_METHODS.entries()) {
        setStatus({ phase: 'running', doing: `training ${method}`, method: i, startedAt });
        const serial = latest.current.modelSerial;
        act.current.install(demoConfig(method));
        await until(
          (v) => v.modelSerial > serial && v.installed?.train.method === method && v.state === 'idle',
          `loading ${method}`,
        );
        const loaded = latest.current.modelSerial;
        act.current.train();
        await until(
          (v) => v.modelSerial === loaded && v.state === 'done' && v.history.length > 0,
          `training ${method}`,
        );
        setStatus({ phase: 'running', doing: `attacking ${method}`, method: i, startedAt });
        const v = latest.current;
        if (v.stored.current !== null) runs.push(v.stored.current);
        const names = v.dataset!.modalities.map((m) => m.name);
        const last = v.history.at(-1)!;
        const evaluation = v.history.findLast((r) => r.evaluation)?.evaluation;
        const view = await act.current.call({
          type: 'attack',
          request: { kind: 'pgd-l2', targets: names.map((_, m) => m === 0), eps: DEMO_EPS, sample: 0 },
        });
        const at = (name: string) => {
          const curve = view.curves.find((c) => c.target === name)!;
          return curve.accuracy[curve.eps.findIndex((e) => Math.abs(e - DEMO_EPS) < 1e-9)];
        };
        measured.push({
          method,
          clean: last.val.accuracy,
          branch: last.val.branchAccuracy,
          attacked: names.map(at),
          certified: evaluation
            ? (certifiedAt(evaluation.certified, names, 'sound', 'all', DEMO_CERTIFIED_EPS) ?? NaN)
            : NaN,
          weights: last.integration ? last.integration.map(mean) : null,
        });
        setResults([...measured]);
      }
      act.current.onRuns(runs);
      setStatus({ phase: 'finished', seconds: (performance.now() - startedAt) / 1000 });
    } catch (e) {
      setStatus({ phase: 'failed', message: (e as Error).message });
    } finally {
      running.current = false;
    }
  }, [until]);

  return { status, results, start };
}
