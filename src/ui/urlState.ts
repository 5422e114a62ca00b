import { isBackendChoice, type BackendChoice } from '../core/backend/backendNames';

/**
 * The backend lives in the URL's query (?backend=wasm), apart from the experiment in the hash
 * (src/core/params/urlHash.ts): it says where a run trains, not what it computes.
 */
export function backendFromSearch(search: string): BackendChoice {
  const b = new URLSearchParams(search).get('backend');
  return isBackendChoice(b) ? b : 'auto';
}

export function searchWithBackend(search: string, backend: BackendChoice): string {
  const params = new URLSearchParams(search);
  if (backend === 'auto') params.delete('backend');
  else params.set('backend', backend);
  const s = params.toString();
  return s ? `?${s}` : '';
}
