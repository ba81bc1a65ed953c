// The badge in the header that says whether the page is live: connecting, live, lost or locked behind the token.

import { byId } from './dom.js';

/** Shows the state of the live connection (`data-state` styles it) and its sentence. */
export function setConnection(kind, text) {
  const node = byId('connection');
  node.dataset.state = kind;
  node.textContent = text;
}
