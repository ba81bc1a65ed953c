// The timeline of status changes, newest first, each with how long it lasted (or has lasted so far).

import { byId, el, setText } from './dom.js';
import { clock, duration, LABELS } from './format.js';

/** The sentence for a transition: "for 3 min 12 s: cache: redis PING timed out" or "since 12:03:04 (…so far)". */
function describe(transition, until) {
  const how =
    until === undefined
      ? `since ${clock(transition.at)} (${duration(Date.now() - Date.parse(transition.at))} so far)`
      : `for ${duration(Date.parse(until) - Date.parse(transition.at))}`;
  return `${how}${transition.reason ? `: ${transition.reason}` : ''}`;
}

/** Shows `transitions` (newest first), or the "no change yet" note when there are none. */
export function renderTimeline(transitions) {
  const items = transitions.map((transition, i) => {
    const until = i === 0 ? undefined : transitions[i - 1].at;
    return el(
      'li',
      { 'data-status': transition.to },
      el('span', { class: 'to' }, LABELS[transition.to]),
      ' ',
      el('span', { class: 'how' }, describe(transition, until)),
      el('time', { datetime: transition.at }, new Date(transition.at).toLocaleString()),
    );
  });
  byId('timeline').replaceChildren(...items);
  byId('timeline-empty').hidden = items.length > 0;
}

/** Keeps the "so far" of the current state ticking without rebuilding the timeline. */
export function refreshCurrentDuration(transitions) {
  const current = transitions[0];
  const how = byId('timeline').querySelector('li .how');
  if (current && how) setText(how, describe(current, undefined));
}
