import { DataError } from '../core/data/dataError';

/** An error in words for the page: a DataError's message as it is, anything else with its kind. */
export function failure(e: unknown): string {
  if (e instanceof DataError) return e.message;
  if (!(e instanceof Error)) return String(e);
  return e.name === 'Error' ? e.message : `${e.name}: ${e.message}`;
}
