// The page's requests to the service's API, each with the bearer token when one was given.

import { storedToken } from './token-store.js';

const API = '/api/v1/health';

/** An answer of 401: the token is missing or wrong. */
export class TokenRefused extends Error {}

/** The headers every API request carries: the bearer token when one was given. */
function authHeaders(extra) {
  const token = storedToken();
  return token ? { ...extra, authorization: `Bearer ${token}` } : { ...extra };
}

/** GET on the API with the token; a 401 becomes a TokenRefused. */
export async function apiFetch(path, options) {
  const response = await fetch(`${API}${path}`, {
    cache: 'no-store',
    ...options,
    headers: authHeaders(options && options.headers),
  });
  if (response.status === 401) throw new TokenRefused();
  return response;
}

/** `GET /history`: the transitions, each check's series, and the window the service says they cover. */
export async function fetchHistory() {
  const response = await apiFetch('/history');
  if (!response.ok) throw new Error(`history answered ${response.status}`);
  return response.json();
}
