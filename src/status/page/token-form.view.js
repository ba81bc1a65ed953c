// The form that asks for the health token when the service wants one (HEALTH_DETAILS=when-authorized).

import { byId } from './dom.js';
import { forgetToken, storeToken } from './token-store.js';

/** Shows the form in place of the dashboard, with `error` (or none), and puts the focus in its field. */
export function showTokenForm(error) {
  byId('dashboard').hidden = true;
  byId('forget-token').hidden = true;
  byId('auth').hidden = false;
  const input = byId('token');
  byId('token-error').textContent = error;
  if (error) input.setAttribute('aria-invalid', 'true');
  else input.removeAttribute('aria-invalid');
  input.value = '';
  input.focus();
}

/** Whether the form is on screen. */
export const tokenFormShown = () => !byId('auth').hidden;

/** Shows the dashboard in place of the form; the "Forget token" button only when a token is kept. */
export function showDashboard(hasToken) {
  byId('auth').hidden = true;
  byId('dashboard').hidden = false;
  byId('forget-token').hidden = !hasToken;
}

/** Says what is wrong with what was entered, and leaves the focus in the field. */
function refuse(message) {
  const input = byId('token');
  byId('token-error').textContent = message;
  input.setAttribute('aria-invalid', 'true');
  input.focus();
}

/**
 * Wires the form and the "Forget token" button: a token entered is kept for this tab, then `onToken()` runs;
 * `onForget()` runs after the button has forgotten it.
 */
export function bindTokenForm({ onToken, onForget }) {
  byId('token-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const input = byId('token');
    const token = input.value.trim();
    if (!token) return refuse('Enter the health token.');
    if (!storeToken(token)) {
      byId('token-error').textContent = 'This browser does not allow storing the token for this tab.';
      return;
    }
    input.value = '';
    input.removeAttribute('aria-invalid');
    byId('token-error').textContent = '';
    onToken();
  });
  byId('forget-token').addEventListener('click', () => {
    forgetToken();
    onForget();
  });
}
