// The status page: renders the history once, then follows the event stream. Browser ES modules with no dependencies
// and no build step, served by the service itself under a CSP that allows no inline script or style. When the
// service wants a token (HEALTH_DETAILS=when-authorized) the page asks for one, keeps it for this tab and sends it
// as a bearer header. This entry module holds the flow; the other modules each hold one concern.

import { apiFetch, fetchHistory, TokenRefused } from './api.js';
import { clearChecks, renderChecks } from './checks.view.js';
import { setConnection } from './connection.view.js';
import { renderMaintenance } from './maintenance.view.js';
import { announce, clearOverall, renderOverall } from './overall.view.js';
import { renderPluginCounts, renderPlugins, showPluginsNote } from './plugins.view.js';
import { applySeriesUpdate, fromHistory } from './series.js';
import { addTransition, forgetState, state } from './state.js';
import { createStream } from './stream.js';
import { refreshCurrentDuration, renderTimeline } from './timeline.view.js';
import { bindTokenForm, showDashboard, showTokenForm, tokenFormShown } from './token-form.view.js';
import { forgetToken, storedToken } from './token-store.js';
import { clearUptime, loadUptime } from './uptime.view.js';

/** How often the uptime is asked again: its numbers move by minutes. */
const UPTIME_REFRESH_MS = 60_000;

const stream = createStream({
  onOpen,
  onEvent,
  onLost(waitMs) {
    state.lost = true;
    setConnection('lost', `Live updates lost — retrying in ${Math.round(waitMs / 1000)} s`);
    renderOverall(state);
  },
  onTokenRefused: () => lockPage(),
});

/** Stops everything live and shows the token form; `message` says why (a refused token), if anything. */
function lockPage(message) {
  // History, plugins and the stream may all be refused at once: the first refusal shows the form and its message.
  if (message === undefined && tokenFormShown()) return;
  stream.stop();
  const hadToken = storedToken() !== '';
  forgetToken();
  forgetData();
  setConnection('locked', 'Token required');
  document.title = 'Token required — SecuScan health';
  showTokenForm(message || (hadToken ? 'The service did not accept that token. Check it and try again.' : ''));
}

/** Drops what was shown with the previous token, so a locked page keeps nothing of it (not even the title). */
function forgetData() {
  forgetState();
  reportedPluginCounts = null;
  pluginsAnswered = false;
  stream.forget();
  clearOverall();
  showMaintenance();
  clearChecks();
  showPluginsNote('Waiting for the service…');
  clearUptime();
  renderTimeline(state.transitions);
}

let historyLoading = null;

/** Fetches and shows the history; a call while one is on its way shares it (asked for since, it is as new). */
function loadHistory() {
  historyLoading ??= fetchHistory()
    .then((history) => {
      state.transitions = history.transitions;
      Object.assign(state, fromHistory(history));
      renderTimeline(state.transitions);
      renderChecks(state);
    })
    .finally(() => (historyLoading = null));
  return historyLoading;
}

/** Loads the history again while the page is live: a refused token locks the page, other failures wait. */
function reloadHistory() {
  loadHistory().catch((error) => {
    if (error instanceof TokenRefused) lockPage();
  });
}

/** Shows the uptime again; a refused token locks the page as any refused request does. */
function refreshUptime() {
  loadUptime().catch((error) => {
    if (error instanceof TokenRefused) lockPage();
  });
}

/** The plugin counts of the last report, to tell when they change (then the list has too); null before any. */
let reportedPluginCounts = null;
/** Whether the diagnostics route has answered (with them or with why not) since the page was (un)locked. */
let pluginsAnswered = false;
let pluginsLoading = null;

/** The counts of a plugins check or diagnostics answer, as one comparable string. */
const pluginCounts = (c) => [c.total, c.runnable, c.blocked, c.disabled, c.invalid].join('/');

/** Fetches and shows the plugin diagnostics; a call while one is on its way shares it. */
function loadPlugins() {
  pluginsLoading ??= fetchPlugins().finally(() => (pluginsLoading = null));
  return pluginsLoading;
}

async function fetchPlugins() {
  try {
    const response = await apiFetch('/plugins');
    pluginsAnswered = true;
    if (response.status === 200) return renderPlugins(await response.json());
    showPluginsNote(
      response.status === 404
        ? 'Plugin diagnostics unavailable: this service does not serve them.'
        : `Plugin diagnostics unavailable (HTTP ${response.status}).`,
    );
  } catch (error) {
    if (error instanceof TokenRefused) return lockPage();
    pluginsAnswered = true;
    showPluginsNote('Plugin diagnostics unavailable: the service did not answer.');
  }
}

function onOpen() {
  setConnection('live', 'Live');
  if (state.lost) {
    // Whatever happened while away is in the history; the stream only replays transitions.
    state.lost = false;
    reloadHistory();
    void loadPlugins();
    refreshUptime();
  }
}

function onEvent(event) {
  if (event.type === 'evaluation') onEvaluation(JSON.parse(event.data));
  // The service's points and window, just before the evaluation that renders them.
  else if (event.type === 'series') applySeriesUpdate(state, JSON.parse(event.data));
  else if (event.type === 'transition') onTransition(JSON.parse(event.data));
  else if (event.type === 'reset') onReset(JSON.parse(event.data));
}

/**
 * The service could not replay what the page missed (too much of it, or the service restarted and its ids mean
 * something else now): the timeline starts over from the latest transitions it sent, at once, and the history
 * brings the older ones.
 */
function onReset(reset) {
  state.transitions = reset.transitions;
  renderTimeline(state.transitions);
  reloadHistory();
}

function onEvaluation(report) {
  state.report = report;
  // When the service evaluated it (the latest one, sent on connect, may be seconds old); a service that does not
  // say leaves the time it reached the page, marked as such.
  const evaluatedAt = Date.parse(report.evaluated_at);
  state.reportAt = Number.isNaN(evaluatedAt) ? Date.now() : evaluatedAt;
  state.reportAtEvaluated = !Number.isNaN(evaluatedAt);
  const plugins = report.checks.plugins;
  if (plugins && typeof plugins.total === 'number') {
    // Until the diagnostics answer, the report's counts are what the page knows; when they change, the list has.
    const counts = pluginCounts(plugins);
    if (!pluginsAnswered) renderPluginCounts(plugins);
    else if (reportedPluginCounts !== null && counts !== reportedPluginCounts) void loadPlugins();
    reportedPluginCounts = counts;
  }
  renderOverall(state);
  showMaintenance();
  renderChecks(state);
  refreshCurrentDuration(state.transitions);
}

/** Whether the maintenance banner is shown, to tell screen readers when a window starts and ends. */
let maintenanceShown = false;

/** Shows or hides the maintenance banner for the report; a change is announced, politely. */
function showMaintenance() {
  const shown = renderMaintenance(state.report);
  if (shown !== maintenanceShown && state.report) {
    announce(shown ? 'A maintenance window started' : 'The maintenance window is over');
  }
  maintenanceShown = shown;
}

function onTransition(transition) {
  if (!addTransition(transition)) return;
  renderTimeline(state.transitions);
  if (transition.from !== null) {
    announce(`Status changed to ${transition.to}${transition.reason ? `: ${transition.reason}` : ''}`);
  }
  void loadPlugins();
}

/** Shows the live page: the history, then the stream and the plugin diagnostics. */
function showLive() {
  stream.stop();
  showDashboard(storedToken() !== '');
  setConnection('connecting', 'Connecting to live updates…');
  // The diagnostics do not wait for the history: the plugins show as soon as the service answers.
  void loadPlugins();
  refreshUptime();
  loadHistory().then(
    () => void stream.connect(),
    (error) => {
      if (error instanceof TokenRefused) return lockPage();
      // Without the history the stream still brings the current state.
      void stream.connect();
    },
  );
}

bindTokenForm({ onToken: showLive, onForget: () => lockPage('') });
showLive();
setInterval(() => {
  renderOverall(state);
  showMaintenance();
  refreshCurrentDuration(state.transitions);
}, 1000);
setInterval(() => {
  if (!tokenFormShown()) refreshUptime();
}, UPTIME_REFRESH_MS);
