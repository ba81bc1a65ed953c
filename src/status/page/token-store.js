// The health token (HEALTH_DETAILS=when-authorized), kept in this tab's sessionStorage only: never localStorage or a
// cookie, so it goes when the tab closes. Storage may be disabled; every call copes with that.

const TOKEN_KEY = 'secuscan-health-token';

/** The kept token, or '' when there is none. */
export function storedToken() {
  try {
    return sessionStorage.getItem(TOKEN_KEY) || '';
  } catch {
    return '';
  }
}

/** Keeps `token` for this tab; false when the browser does not allow it. */
export function storeToken(token) {
  try {
    sessionStorage.setItem(TOKEN_KEY, token);
    return true;
  } catch {
    return false;
  }
}

/** Forgets the kept token, if any. */
export function forgetToken() {
  try {
    sessionStorage.removeItem(TOKEN_KEY);
  } catch {
    // Storage can be disabled: nothing was kept, nothing to forget.
  }
}
