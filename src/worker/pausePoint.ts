import type { PhasePlan } from '../core/train/phasePlan';
import type { Phase } from '../core/train/snapshot';
import type { TrainerPosition } from '../core/train/trainer';

/** Where a run stands when the chunk now running ends: what the page shows once paused. */
export interface PausePoint {
  phase: Phase;
  phaseIndex: number;
  /** Completed epochs of the phase, of `epochs`. */
  epoch: number;
  epochs: number;
  step: number;
}

/**
 * The position a chunk of `steps` steps ends at, told before it ends from where the trainer stands
 * (Trainer.position): its steps run first and at once, and only an epoch's end (its evaluation)
 * takes long after them. A chunk never crosses an epoch's end. Null when the chunk is the
 * Lipschitz estimation (nothing to tell before it ends) or nothing is planned.
 */
export function pointAfterChunk(at: TrainerPosition, plan: PhasePlan[], steps: number): PausePoint | null {
  const phase = plan[at.phaseIndex];
  if (!phase || phase.phase === 'lipschitz') return null;
  const remaining = at.epochSteps - at.stepInEpoch;
  const ran = Math.min(steps, remaining);
  return {
    phase: phase.phase,
    phaseIndex: at.phaseIndex,
    epoch: at.epoch + (ran === remaining ? 1 : 0),
    epochs: phase.epochs,
    step: at.step + ran,
  };
}
