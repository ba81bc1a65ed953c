// Each check's latency series as the page keeps them. The service owns them: it decides which points exist (at most
// one per second, the last of a second standing) and which 15 minutes they cover, on its own clock. The page only
// applies what the history and the `series` events say, so a browser whose clock is off still draws every point.

/** A chart spans at least this long, so a fresh service shows a readable line rather than a sliver at one edge. */
const MIN_CHART_MS = 30_000;

/** The series and their window, as the history answers them: `{ series, window }`. */
export function fromHistory(history) {
  return { series: history.series || {}, window: history.series_window || null };
}

/**
 * Applies one `series` event to `kept` (from fromHistory) in place: each check's new point is appended, or takes the
 * place of the newest one when the service says it replaced it; then every point at or before the start of the
 * service's window is dropped, and that window becomes the one the charts span. An update older than the window
 * the page already has changes nothing.
 */
export function applySeriesUpdate(kept, update) {
  // An update no newer than the window the page has is already in it: a history answered after that evaluation
  // (fetched on a reconnect while the stream ran) holds its points, and newer ones the update must not cut off.
  if (kept.window && update.window.to <= kept.window.to) return;
  for (const [key, point] of Object.entries(update.points)) {
    const points = (kept.series[key] = kept.series[key] || []);
    if (update.replaced.includes(key) && points.length) points[points.length - 1] = point;
    else points.push(point);
  }
  for (const points of Object.values(kept.series)) {
    while (points.length && points[0][0] <= update.window.from) points.shift();
  }
  kept.window = update.window;
}

/**
 * The span of a chart in epoch ms, `{ start, end }`: the service's window up to its latest time (or its newest
 * point, if newer), or since the first point when there is less (at least 30 s). Without a window yet there are no points either: an empty 30 s.
 */
export function chartRange(points, window) {
  if (!window) return { start: 0, end: MIN_CHART_MS };
  // The newest point the service sent is never past the end, whichever of its answers the window came from.
  const end = Math.max(window.to, points.length ? points[points.length - 1][0] : window.to);
  const first = points.length ? points[0][0] : end;
  return { start: Math.max(window.from, Math.min(first, end - MIN_CHART_MS)), end };
}

/**
 * Where a chart draws: its span (chartRange), its width in seconds and `x(t)`, the place of time `t` in it, both on
 * a grid of hundredths of a second so the path stays short. The width is rounded up and x to the nearest, so a point
 * at the end of the span is drawn at the edge, never past it (30.935 s wide with x rounded to 30.94 was past it).
 */
export function chartScale(points, window) {
  const { start, end } = chartRange(points, window);
  return {
    start,
    end,
    width: Math.ceil((end - start) / 10) / 100,
    x: (t) => Math.round((t - start) / 10) / 100,
  };
}
