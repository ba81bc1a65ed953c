// The status page: renders the history once, then follows the event stream. Plain browser JavaScript with no
// dependencies, served by the service itself under a CSP that allows no inline script or style. When the service
// wants a token (HEALTH_DETAILS=when-authorized) it asks for one, keeps it in this tab's sessionStorage and sends it
// as a bearer header; the stream is read with fetch() and sse.js for that reason, since EventSource sends no headers.
'use strict';

(function statusPage() {
  const API = '/api/v1/health';
  const WINDOW_MS = 15 * 60 * 1000;
  const MAX_TRANSITIONS = 500;
  const SVG = 'http://www.w3.org/2000/svg';
  const LABELS = { healthy: 'Healthy', degraded: 'Degraded', unhealthy: 'Unhealthy', ok: 'OK', error: 'Error' };
  const ICONS = { healthy: '✓', degraded: '!', unhealthy: '✕' };
  const TOKEN_KEY = 'secuscan-health-token';
  const FIRST_RETRY_MS = 2000;
  const MAX_RETRY_MS = 30000;
  // The service writes a heartbeat comment every 15 s: a stream silent for longer than this is dead.
  const SILENCE_MS = 40000;

  /** An answer of 401: the token is missing or wrong. */
  class TokenRefused extends Error {}

  const state = {
    report: null,
    reportAt: 0,
    series: {},
    transitions: [],
    stream: null,
    lastEventId: '',
    reconnectMs: FIRST_RETRY_MS,
    retryMs: FIRST_RETRY_MS,
    retryTimer: undefined,
    lost: false,
    started: false,
  };

  const byId = (id) => document.getElementById(id);

  /** Creates an element with attributes and children (strings become text, never HTML). */
  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) node.setAttribute(name, value);
    for (const child of children) {
      if (child !== null && child !== undefined) node.append(child);
    }
    return node;
  }

  function svg(tag, attributes) {
    const node = document.createElementNS(SVG, tag);
    for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
    return node;
  }

  /** "3 min 12 s", "1 h 4 min", "12 s". */
  function duration(ms) {
    const total = Math.max(0, Math.round(ms / 1000));
    const h = Math.floor(total / 3600);
    const m = Math.floor((total % 3600) / 60);
    const s = total % 60;
    if (h) return `${h} h ${m} min`;
    if (m) return `${m} min ${s} s`;
    return `${s} s`;
  }

  const clock = (time) =>
    new Date(time).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  const ms = (value) => `${value < 10 ? value.toFixed(1) : Math.round(value)} ms`;

  // ---- data -------------------------------------------------------------------------------------------------

  /** Adds one point per check, at most one per second (the last of a second stands), and forgets old ones. */
  function addPoints(report, now) {
    for (const [key, check] of Object.entries(report.checks)) {
      const points = (state.series[key] = state.series[key] || []);
      const point = [now, check.latency_ms, check.status];
      const last = points[points.length - 1];
      if (last && Math.floor(last[0] / 1000) === Math.floor(now / 1000)) points[points.length - 1] = point;
      else points.push(point);
      while (points.length && points[0][0] <= now - WINDOW_MS) points.shift();
    }
  }

  // ---- the token --------------------------------------------------------------------------------------------

  function storedToken() {
    try {
      return sessionStorage.getItem(TOKEN_KEY) || '';
    } catch {
      return '';
    }
  }

  /** The headers every API request carries: the bearer token when one was given. */
  function authHeaders(extra) {
    const token = storedToken();
    return token ? { ...extra, authorization: `Bearer ${token}` } : { ...extra };
  }

  /** GET on the API with the token; a 401 becomes a TokenRefused. */
  async function apiFetch(path, options) {
    const response = await fetch(`${API}${path}`, {
      cache: 'no-store',
      ...options,
      headers: authHeaders(options && options.headers),
    });
    if (response.status === 401) throw new TokenRefused();
    return response;
  }

  /** Stops everything live and shows the token form; `message` says why (a refused token), if anything. */
  function askForToken(message) {
    // History, plugins and the stream may all be refused at once: the first refusal shows the form and its message.
    if (message === undefined && !byId('auth').hidden) return;
    stopStream();
    const hadToken = storedToken() !== '';
    try {
      sessionStorage.removeItem(TOKEN_KEY);
    } catch {
      // Storage can be disabled; the form then works for this page view only.
    }
    forgetData();
    byId('dashboard').hidden = true;
    byId('forget-token').hidden = true;
    byId('auth').hidden = false;
    setConnection('locked', 'Token required');
    document.title = 'Token required — SecuScan health';
    const input = byId('token');
    const error = message || (hadToken ? 'The service did not accept that token. Check it and try again.' : '');
    byId('token-error').textContent = error;
    if (error) input.setAttribute('aria-invalid', 'true');
    else input.removeAttribute('aria-invalid');
    input.value = '';
    input.focus();
  }

  /** Drops what was shown with the previous token, so a locked page keeps nothing of it (not even the title). */
  function forgetData() {
    Object.assign(state, { report: null, reportAt: 0, series: {}, transitions: [], lastEventId: '', lost: false });
    byId('overall').dataset.status = 'unknown';
    byId('overall-icon').textContent = '…';
    byId('overall-status').textContent = 'Loading';
    for (const id of ['overall-reason', 'overall-meta', 'announcer']) byId(id).textContent = '';
    byId('checks').replaceChildren();
    byId('plugins').replaceChildren(el('p', { class: 'meta' }, 'Loading…'));
    renderTimeline();
  }

  function onTokenSubmit(event) {
    event.preventDefault();
    const input = byId('token');
    const token = input.value.trim();
    if (!token) {
      byId('token-error').textContent = 'Enter the health token.';
      input.setAttribute('aria-invalid', 'true');
      input.focus();
      return;
    }
    try {
      sessionStorage.setItem(TOKEN_KEY, token);
    } catch {
      byId('token-error').textContent = 'This browser does not allow storing the token for this tab.';
      return;
    }
    input.value = '';
    input.removeAttribute('aria-invalid');
    byId('token-error').textContent = '';
    showLive();
  }

  function onForgetToken() {
    try {
      sessionStorage.removeItem(TOKEN_KEY);
    } catch {
      // Nothing stored, nothing to forget.
    }
    askForToken('');
  }

  // ---- loading ----------------------------------------------------------------------------------------------

  async function loadHistory() {
    const response = await apiFetch('/history');
    if (!response.ok) throw new Error(`history answered ${response.status}`);
    const history = await response.json();
    state.transitions = history.transitions;
    state.series = history.series;
    renderTimeline();
    renderChecks();
  }

  // ---- rendering --------------------------------------------------------------------------------------------

  function renderOverall() {
    const report = state.report;
    if (!report) return;
    const section = byId('overall');
    section.dataset.status = report.status;
    section.dataset.stale = String(state.lost);
    byId('overall-icon').textContent = ICONS[report.status];
    byId('overall-status').textContent = state.lost ? `${LABELS[report.status]} (last known)` : LABELS[report.status];
    const failing = Object.entries(report.checks)
      .filter(([, check]) => check.status === 'error')
      .map(([key, check]) => `${key}: ${check.detail}`);
    byId('overall-reason').textContent = failing.join('; ');
    const current = state.transitions[0];
    const since =
      current && current.to === report.status
        ? `${LABELS[report.status]} for ${duration(Date.now() - Date.parse(current.at))} · `
        : '';
    byId('overall-meta').textContent =
      `${since}version ${report.version} · up ${duration(report.uptime_seconds * 1000)} · ` +
      `updated ${clock(state.reportAt)}`;
    document.title = `${LABELS[report.status]} — SecuScan health`;
  }

  /**
   * The latency chart: the last 15 minutes, or since the first point when there is less (at least 30 s), so a
   * fresh service shows a readable line instead of a sliver at the right edge. Failed probes are red bars.
   */
  function sparkline(key, points, now) {
    const start = Math.max(now - WINDOW_MS, Math.min(points.length ? points[0][0] : now, now - 30000));
    const width = (now - start) / 1000;
    const height = 60;
    const max = Math.max(1, ...points.map((p) => p[1]));
    const x = (t) => ((t - start) / 1000).toFixed(2);
    const y = (v) => (height - 2 - (v / max) * (height - 6)).toFixed(1);
    const chart = svg('svg', { class: 'spark', viewBox: `0 0 ${width} ${height}`, preserveAspectRatio: 'none' });
    let path = '';
    let previous;
    for (const [t, latency, status] of points) {
      if (status === 'error') {
        // The bar ends at its point, so the newest failure is not clipped at the right edge.
        const bar = Math.max(1, width / 150);
        chart.append(svg('rect', { class: 'fail', x: Math.max(0, x(t) - bar), y: 0, width: bar, height }));
        previous = undefined;
        continue;
      }
      // A gap of more than five seconds (nobody evaluated) breaks the line instead of bridging it; a zero-length
      // step with a round cap keeps a lone point visible as a dot.
      const joined = previous !== undefined && t - previous < 5000;
      path += `${joined ? 'L' : 'M'}${x(t)},${y(latency)} ${joined ? '' : 'h0 '}`;
      previous = t;
    }
    if (path) chart.append(svg('path', { class: 'line', d: path, 'vector-effect': 'non-scaling-stroke' }));
    const failures = points.filter((p) => p[2] === 'error').length;
    const latencies = points.filter((p) => p[2] === 'ok').map((p) => p[1]);
    const span = duration(now - start).replace(/ 0 s$/, '');
    const range = latencies.length
      ? `${ms(Math.min(...latencies))} to ${ms(Math.max(...latencies))}`
      : 'no successful probe';
    const caption = `last ${span}: ${range}${failures ? `, ${failures} failed` : ''}`;
    chart.setAttribute('role', 'img');
    chart.setAttribute('aria-label', `${key} latency over the ${caption}`);
    return el('figure', { class: 'chart' }, chart, el('figcaption', { 'aria-hidden': 'true' }, caption));
  }

  function renderChecks() {
    const report = state.report;
    if (!report) return;
    const now = Date.now();
    const list = byId('checks');
    list.replaceChildren(
      ...Object.entries(report.checks).map(([key, check]) => {
        const extra = Object.entries(check)
          .filter(([name, value]) => !['status', 'latency_ms', 'detail'].includes(name) && typeof value === 'number')
          .map(([name, value]) => `${name} ${value}`)
          .join(' · ');
        const card = el(
          'li',
          { class: 'card', 'data-status': check.status },
          el('div', { class: 'card-head' }, el('h3', {}, key), el('span', { class: 'pill' }, LABELS[check.status])),
          el('p', { class: 'detail' }, check.detail || 'Responding normally'),
          el('p', { class: 'fields' }, `latency ${ms(check.latency_ms)}${extra ? ` · ${extra}` : ''}`),
          sparkline(key, state.series[key] || [], now),
        );
        return card;
      }),
    );
  }

  /** The sentence for a transition: "degraded for 3 min 12 s: cache: redis PING timed out". */
  function describe(transition, until) {
    const how =
      until === undefined
        ? `since ${clock(transition.at)} (${duration(Date.now() - Date.parse(transition.at))} so far)`
        : `for ${duration(Date.parse(until) - Date.parse(transition.at))}`;
    return `${how}${transition.reason ? `: ${transition.reason}` : ''}`;
  }

  function renderTimeline() {
    const items = state.transitions.map((transition, i) => {
      const until = i === 0 ? undefined : state.transitions[i - 1].at;
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
  function refreshCurrentDuration() {
    const current = state.transitions[0];
    const how = byId('timeline').querySelector('li .how');
    if (current && how) how.textContent = describe(current, undefined);
  }

  function installLines(install) {
    return el(
      'ul',
      { class: 'install' },
      ...Object.entries(install || {}).map(([how, line]) =>
        el('li', {}, `${how}: `, how === 'docs' ? el('a', { href: line }, line) : el('code', {}, line)),
      ),
    );
  }

  function scrollingTable(label, caption, head, rows) {
    return el(
      'div',
      { class: 'table-scroll', role: 'region', 'aria-label': label, tabindex: '0' },
      el(
        'table',
        {},
        el('caption', {}, caption),
        el('thead', {}, el('tr', {}, ...head.map((h) => el('th', { scope: 'col' }, h)))),
        el('tbody', {}, ...rows.map((cells) => el('tr', {}, ...cells.map((c) => el('td', {}, c))))),
      ),
    );
  }

  function renderPlugins(diagnostics) {
    const summary = el(
      'p',
      {},
      `${diagnostics.runnable} of ${diagnostics.total} plugins runnable · ${diagnostics.blocked} blocked · ` +
        `${diagnostics.disabled} disabled · ${diagnostics.invalid} invalid`,
    );
    const parts = [summary];
    if (diagnostics.missing && diagnostics.missing.length) {
      parts.push(
        scrollingTable(
          'What to install',
          'To install',
          ['Missing', 'Needed by', 'How to install'],
          diagnostics.missing.map((item) => [
            el('span', {}, el('code', {}, item.name), ` (${item.kind.replace('_', ' ')})`),
            item.plugins.join(', '),
            installLines(item.install),
          ]),
        ),
      );
    }
    parts.push(
      scrollingTable(
        'Plugins',
        'Plugins',
        ['Plugin', 'State', 'Missing'],
        (diagnostics.plugins || []).map((plugin) => [
          el('span', {}, plugin.name, ' ', el('code', {}, plugin.id)),
          el('span', { class: 'pill', 'data-status': plugin.state === 'runnable' ? 'ok' : 'error' }, plugin.state),
          plugin.missing.map((m) => m.name).join(', ') || '—',
        ]),
      ),
    );
    byId('plugins').replaceChildren(...parts);
  }

  async function loadPlugins() {
    const target = byId('plugins');
    try {
      const response = await apiFetch('/plugins');
      if (response.status === 200) return renderPlugins(await response.json());
      const note =
        response.status === 404
          ? 'Plugin diagnostics unavailable: this service does not serve them.'
          : `Plugin diagnostics unavailable (HTTP ${response.status}).`;
      target.replaceChildren(el('p', { class: 'meta' }, note));
    } catch (error) {
      if (error instanceof TokenRefused) return askForToken();
      target.replaceChildren(el('p', { class: 'meta' }, 'Plugin diagnostics unavailable: the service did not answer.'));
    }
  }

  // ---- live updates ----------------------------------------------------------------------------------------

  function setConnection(kind, text) {
    const node = byId('connection');
    node.dataset.state = kind;
    node.textContent = text;
  }

  function onEvaluation(report) {
    const now = Date.now();
    state.report = report;
    state.reportAt = now;
    addPoints(report, now);
    renderOverall();
    renderChecks();
    refreshCurrentDuration();
  }

  function onTransition(transition) {
    if (state.transitions.some((t) => t.id === transition.id && t.at === transition.at)) return;
    state.transitions.unshift(transition);
    state.transitions.length = Math.min(state.transitions.length, MAX_TRANSITIONS);
    renderTimeline();
    if (transition.from !== null) {
      byId('announcer').textContent =
        `Status changed to ${transition.to}${transition.reason ? `: ${transition.reason}` : ''}`;
    }
    void loadPlugins();
  }

  function lost(text) {
    state.lost = true;
    setConnection('lost', text);
    renderOverall();
  }

  function stopStream() {
    clearTimeout(state.retryTimer);
    if (state.stream) state.stream.abort();
    state.stream = null;
  }

  /** Tries again after the current backoff, which doubles up to 30 s until a stream opens. */
  function retryLater() {
    const wait = Math.max(state.retryMs, state.reconnectMs);
    state.retryMs = Math.min(wait * 2, MAX_RETRY_MS);
    state.retryTimer = setTimeout(connect, wait);
    lost(`Live updates lost — retrying in ${Math.round(wait / 1000)} s`);
  }

  function onStreamOpen() {
    setConnection('live', 'Live');
    state.retryMs = FIRST_RETRY_MS;
    if (state.lost) {
      // Whatever happened while away is in the history; the stream only replays transitions.
      state.lost = false;
      loadHistory().catch((error) => {
        if (error instanceof TokenRefused) askForToken();
      });
      void loadPlugins();
    }
  }

  function onStreamEvent(event) {
    if (event.type === 'evaluation') onEvaluation(JSON.parse(event.data));
    else if (event.type === 'transition') onTransition(JSON.parse(event.data));
  }

  /**
   * Follows `/events` with fetch() and a streaming reader, as EventSource would: `Last-Event-ID` on reconnect, the
   * server's `retry` as the first wait, a lost-stream indication, and a backoff while the service refuses or is away.
   */
  async function connect() {
    stopStream();
    const controller = new AbortController();
    state.stream = controller;
    const headers = { accept: 'text/event-stream' };
    if (state.lastEventId) headers['last-event-id'] = state.lastEventId;
    let silence;
    try {
      const response = await apiFetch('/events', { headers, signal: controller.signal });
      if (response.status !== 200 || !response.body) {
        await response.body?.cancel();
        if (!controller.signal.aborted) retryLater();
        return;
      }
      onStreamOpen();
      const parser = globalThis.SecuscanSse.createParser({
        onEvent(event) {
          state.lastEventId = event.lastEventId;
          onStreamEvent(event);
        },
        onRetry(ms) {
          state.reconnectMs = ms;
        },
      });
      const watch = () => {
        clearTimeout(silence);
        silence = setTimeout(() => controller.abort(), SILENCE_MS);
      };
      watch();
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        watch();
        parser.push(value);
      }
    } catch (error) {
      if (error instanceof TokenRefused) return askForToken();
      // A network error or an abort: handled below.
    } finally {
      clearTimeout(silence);
    }
    // stopStream() (a new connection, the token form) clears state.stream: nothing to do then. Otherwise the stream
    // ended, broke or went silent: reconnect.
    if (state.stream === controller) {
      state.stream = null;
      retryLater();
    }
  }

  /** Shows the live page: the history, then the stream and the plugin diagnostics. */
  function showLive() {
    stopStream();
    byId('auth').hidden = true;
    byId('dashboard').hidden = false;
    byId('forget-token').hidden = storedToken() === '';
    setConnection('connecting', 'Connecting to live updates…');
    loadHistory().then(
      () => {
        void connect();
        void loadPlugins();
      },
      (error) => {
        if (error instanceof TokenRefused) return askForToken();
        // Without the history the stream still brings the current state.
        void connect();
        void loadPlugins();
      },
    );
  }

  function start() {
    byId('token-form').addEventListener('submit', onTokenSubmit);
    byId('forget-token').addEventListener('click', onForgetToken);
    showLive();
    setInterval(() => {
      renderOverall();
      refreshCurrentDuration();
    }, 1000);
  }

  start();
})();
