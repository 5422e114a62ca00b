/**
 * One user of the weights at a time where a mix of two steps would be wrong: a training chunk
 * (with its checkpoint), an export, a loaded model's evaluation. Reads yield to the event loop
 * (yieldOnRead), so without it a chunk could run in the middle of an export and write weights
 * from two different steps into one file.
 */
export class ModelLock {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(work: () => Promise<T>): Promise<T> {
    const result = this.tail.then(work);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
