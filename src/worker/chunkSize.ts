/**
 * How many optimiser steps to run before the worker next looks at its messages: as many as fit
 * in `targetMs` at the measured pace (at least one, at most `max`), so Pause is seen within about
 * that time on a slow backend and a fast one does not pay a snapshot per step.
 */
export class ChunkSize {
  private msPerStep: number | null = null;

  constructor(private readonly targetMs = 25) {}

  next(max: number): number {
    if (this.msPerStep === null) return 1;
    return Math.max(1, Math.min(max, Math.floor(this.targetMs / this.msPerStep)));
  }

  /** A chunk of `steps` steps took `ms` (its epoch-end evaluation excluded where it had one). */
  observe(steps: number, ms: number): void {
    if (steps <= 0) return;
    const pace = ms / steps;
    this.msPerStep = this.msPerStep === null ? pace : 0.7 * this.msPerStep + 0.3 * pace;
  }
}
