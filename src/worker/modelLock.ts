/**
 * One user of the model at a time: a training chunk, or a query about the weights (attack,
 * boundaries, export). Reads yield to the event loop (yieldOnRead), so without it a chunk could
 * run in the middle of a query and mix two sets of weights in one answer.
 */
export class ModelLock {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(work: () => Promise<T>): Promise<T> {
    const result = this.tail.then(work);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
