/**
 * The searches for the largest certified radius (docs/LOCAL-BOUND.md §5). Both return only a
 * radius at which the test held (or the `lo` they were given, known certified).
 */

/** Doublings above the first guess before giving up and keeping the last certified radius. */
const MAX_DOUBLINGS = 40;
/** Halvings below the first guess before calling the sample uncertifiable (radius 0). */
const MAX_HALVINGS = 60;

/**
 * Geometric bisection for the largest certified radius. `lo` is known certified (0 or the global
 * radius); `guess` is where to look first. Returns the largest radius evaluated as certified
 * (or lo), within a factor (1 + tolerance) of the bound's own frontier when that is bracketed.
 */
export function bisect(certified: (r: number) => boolean, lo: number, guess: number, tolerance: number): number {
  let hi = Number.isFinite(guess) && guess > lo ? Math.max(guess, 2 * lo) : lo > 0 ? 2 * lo : 1;
  if (certified(hi)) {
    let doublings = 0;
    do {
      lo = hi;
      hi *= 2;
      if (++doublings > MAX_DOUBLINGS) return lo;
    } while (certified(hi));
  } else if (lo <= 0) {
    let r = hi;
    for (let halvings = 0; ; halvings++) {
      if (halvings >= MAX_HALVINGS) return 0;
      hi = r;
      r /= 2;
      if (certified(r)) break;
    }
    lo = r;
  }
  return narrow(certified, lo, hi, tolerance);
}

/** Geometric bisection of [lo certified, hi not] until hi ≤ lo·(1 + tolerance); returns lo. */
function narrow(certified: (r: number) => boolean, lo: number, hi: number, tolerance: number): number {
  while (hi > lo * (1 + tolerance)) {
    const mid = Math.sqrt(lo * hi);
    if (certified(mid)) lo = mid;
    else hi = mid;
  }
  return lo;
}

/** The first step above the cheap bound's radius: branching gains a few % to a few tens of % (§8). */
const FIRST_STEP = 1 / 32;
/** Steps above r₀ before stopping; the last is r₀·(1 + 2⁹/32) = 17·r₀. */
const MAX_STEPS = 10;

/**
 * Search above a radius r₀ that a cheap test certified, with a costly one (branch and bound):
 * r₀·(1 + s) for s = 1/32, 1/16, 1/8, … until the costly test fails, then bisection between the
 * last success and that failure. The costly test runs only near the frontier, instead of at every
 * radius of the whole bisection from the global radius.
 */
export function searchAbove(certified: (r: number) => boolean, r0: number, tolerance: number): number {
  if (r0 <= 0) return r0;
  let lo = r0;
  for (let step = 0, s = FIRST_STEP; step < MAX_STEPS; step++, s *= 2) {
    const hi = r0 * (1 + s);
    if (!certified(hi)) return narrow(certified, lo, hi, tolerance);
    lo = hi;
  }
  return lo;
}
