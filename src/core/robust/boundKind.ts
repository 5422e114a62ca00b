/**
 * The two kinds of Lipschitz bound (spec §5), one word each everywhere: types, JSON keys, CSV
 * columns, chart labels and the CLI's summary.
 * - `sound`: global upper bounds; a radius built from them is a guarantee.
 * - `estimated`: the paper's practice, the largest gradient norm over training samples; a lower
 *   estimate of the true constant, so its radii are not guarantees.
 */
export type BoundKind = 'sound' | 'estimated';

export const BOUND_KINDS: readonly BoundKind[] = ['sound', 'estimated'];

/** One line per kind, for legends and summaries. */
export const BOUND_MEANING: Record<BoundKind, string> = {
  sound: 'guaranteed',
  estimated: "the paper's practice, not a guarantee",
};
