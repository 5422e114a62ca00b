import type { Snapshot } from '../core/train/snapshot';
import type { WorkerEvent } from './protocol';

/** Progress snapshots are posted at most this often: all a progress bar can show. */
const PROGRESS_MS = 100;

/**
 * Posts a run's snapshots stamped with their number and time (so the page can tell how far behind
 * it is): every epoch, Lipschitz, done and diverged one, progress ones at most every PROGRESS_MS.
 * The last progress held back goes out before the run stops.
 */
export class SnapshotPoster {
  private seq = 0;
  private lastPost = 0;
  private heldBack: Snapshot | null = null;

  constructor(private readonly post: (e: WorkerEvent) => void) {}

  /** `force`: post it even if a progress snapshot went out just now (a Step the user asked for). */
  send(snapshot: Snapshot, force = false): void {
    const now = performance.now();
    if (snapshot.kind === 'progress' && !force && now - this.lastPost < PROGRESS_MS) {
      this.heldBack = snapshot;
      return;
    }
    this.heldBack = null;
    this.lastPost = now;
    this.post({ type: 'snapshot', snapshot, seq: ++this.seq, postedAt: performance.timeOrigin + now });
  }

  flush(): void {
    if (this.heldBack) this.send(this.heldBack, true);
  }

  /** A new run: what was held back belongs to the old one. */
  drop(): void {
    this.heldBack = null;
  }
}
