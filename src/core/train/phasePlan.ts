import type { TrainSettings } from '../config';
import { METHODS } from './methods';
import type { Phase } from './snapshot';

export interface PhasePlan {
  phase: Phase;
  /** 0 for the Lipschitz estimation, which takes no optimiser steps. */
  epochs: number;
}

export function step2Epochs(s: TrainSettings): number {
  return s.step2.epochs ?? Math.max(1, Math.round(s.epochs / 3));
}

/**
 * The phases a method runs, in order (spec §7, §8): CRMT is step 1, Lipschitz estimation, step 2.
 * 0 epochs trains nothing at all (a loaded model is only evaluated), on the page as in the CLI.
 */
export function planPhases(s: TrainSettings): PhasePlan[] {
  const method = METHODS[s.method];
  if (s.epochs === 0) return [];
  const plan: PhasePlan[] = [];
  if (method.structure === 'umt') plan.push({ phase: 'teachers', epochs: s.teacherEpochs ?? s.epochs });
  plan.push({ phase: method.marginTerm ? 'step1' : 'train', epochs: s.epochs });
  if (method.step2) plan.push({ phase: 'lipschitz', epochs: 0 }, { phase: 'step2', epochs: step2Epochs(s) });
  return plan;
}
