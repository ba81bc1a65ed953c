// The status page: renders the history once, then follows the event stream. Plain browser JavaScript with no
// dependencies, served by the service itself under a CSP that allows no inline script or style.
'use strict';

(function statusPage() {
  const API = '/api/v1/health';
  const WINDOW_MS = 15 * 60 * 1000;
  const MAX_TRANSITIONS = 500;
  const SVG = 'http://www.w3.org/2000/svg';
  const LABELS = { healthy: 'Healthy', degraded: 'Degraded', unhealthy: 'Unhealthy', ok: 'OK', error: 'Error' };
  const ICONS = { healthy: '✓', degraded: '!', unhealthy: '✕' };

  const state = {
    report: null,
    reportAt: 0,
    series: {},
    transitions: [],
    source: null,
    retryMs: 2000,
    retryTimer: undefined,
    lost: false,
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

  async function loadHistory() {
    const response = await fetch(`${API}/history`, { cache: 'no-store' });
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
      const response = await fetch(`${API}/plugins`, { cache: 'no-store' });
      if (response.status === 200) return renderPlugins(await response.json());
      const note =
        response.status === 404
          ? 'Plugin diagnostics unavailable: this service does not serve them.'
          : `Plugin diagnostics unavailable (HTTP ${response.status}).`;
      target.replaceChildren(el('p', { class: 'meta' }, note));
    } catch {
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

  function connect() {
    clearTimeout(state.retryTimer);
    const source = new EventSource(`${API}/events`);
    state.source = source;
    source.addEventListener('open', () => {
      setConnection('live', 'Live');
      state.retryMs = 2000;
      if (state.lost) {
        // Whatever happened while away is in the history; the stream only replays transitions.
        state.lost = false;
        loadHistory().catch(() => undefined);
        void loadPlugins();
      }
    });
    source.addEventListener('evaluation', (event) => onEvaluation(JSON.parse(event.data)));
    source.addEventListener('transition', (event) => onTransition(JSON.parse(event.data)));
    source.addEventListener('error', () => {
      if (source.readyState === EventSource.CLOSED) {
        // The browser gives up on a refused stream (e.g. 503 at the subscriber cap): retry ourselves, backing off.
        const wait = state.retryMs;
        state.retryMs = Math.min(wait * 2, 30000);
        state.retryTimer = setTimeout(connect, wait);
        lost(`Live updates lost — retrying in ${Math.round(wait / 1000)} s`);
      } else {
        lost('Live updates lost — reconnecting…');
      }
    });
  }

  function start() {
    loadHistory()
      .catch(() => undefined)
      .finally(connect);
    void loadPlugins();
    setInterval(() => {
      renderOverall();
      refreshCurrentDuration();
    }, 1000);
  }

  start();
})();
