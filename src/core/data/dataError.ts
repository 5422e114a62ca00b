/** A problem with the user's files; the message is meant to be shown to them as it is. */
export class DataError extends Error {
  override name = 'DataError';
}
