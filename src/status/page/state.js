// What the page shows, kept in one place: the latest report, the series and their window, the transitions, and
// whether the live stream is lost (the report is then the last known one).

/** The timeline keeps at most this many transitions. */
const MAX_TRANSITIONS = 500;

/** The page's data before anything is known. */
function emptyState() {
  return {
    report: null,
    /** When the report was evaluated (the service's `evaluated_at`), or when it arrived if the service did not say. */
    reportAt: 0,
    reportAtEvaluated: false,
    series: {},
    window: null,
    transitions: [],
    lost: false,
  };
}

/** The page's data; views read it, the entry module (status.js) changes it. */
export const state = emptyState();

/** Drops everything shown, so a page locked behind the token form keeps nothing of it. */
export function forgetState() {
  Object.assign(state, emptyState());
}

/** Adds a transition at the top of the timeline; false when it is already there (replayed on reconnect). */
export function addTransition(transition) {
  if (state.transitions.some((t) => t.id === transition.id && t.at === transition.at)) return false;
  state.transitions.unshift(transition);
  state.transitions.length = Math.min(state.transitions.length, MAX_TRANSITIONS);
  return true;
}
