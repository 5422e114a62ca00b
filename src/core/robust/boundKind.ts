/**
 * The two kinds of Lipschitz bound (spec §5), one word each everywhere: types, JSON keys, CSV
 * columns, chart labels and the CLI's summary.
 * - `sound`: global upper bounds; a radius built from them is a guarantee.
 * - `estimated`: the paper's practice, the largest gradient norm over training samples; a lower
 *   estimate of the true constant, so its radii are not guarantees.
 */
export type BoundKind = 'sound' | 'estimated';

export const BOUND_KINDS: readonly BoundKind[] = ['sound', 'estimated'];

/**
 * The kinds of certified radius: the two Lipschitz kinds, and `local`, the CROWN bound of
 * docs/LOCAL-BOUND.md, a guarantee with no Lipschitz constant behind it (so it has no τ, no
 * "constants", and lives only where radii do). Tightest guarantee first among the guarantees.
 */
export type CertificateKind = BoundKind | 'local';

export const CERTIFICATE_KINDS: readonly CertificateKind[] = ['sound', 'local', 'estimated'];

/** One line per kind, for legends and summaries. */
export const BOUND_MEANING: Record<CertificateKind, string> = {
  sound: 'guaranteed (global: product of spectral norms)',
  local: 'guaranteed (local: CROWN bound propagation)',
  estimated: "the paper's practice, not a guarantee",
};
