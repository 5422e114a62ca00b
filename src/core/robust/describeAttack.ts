import type { AttackSettings } from '../config';

const num = (x: number) => (Number.isFinite(x) ? x.toPrecision(3) : String(x));

/** The PGD an experiment's attack settings run, in words: the CLI summary, the report and the page say it alike. */
export function describeAttack(a: AttackSettings): string {
  if (a.preset === 'paper') return 'PGD-ℓ2, the paper preset: 4 steps of ε/3 from the clean input';
  const runs = a.restarts > 1 ? `, ${a.restarts} runs (each after the first from a random start)` : '';
  const start = a.randomStart ? 'a random start' : 'the clean input';
  return `PGD-ℓ2: ${a.steps} steps of ${num(a.stepFraction)}ε from ${start}${runs}, ${a.budget} budget, every iterate checked`;
}
