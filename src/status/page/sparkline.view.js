// A check's latency chart: an SVG line over the window the service gives, failed probes as red bars.

import { el, svg } from './dom.js';
import { duration, ms } from './format.js';
import { chartScale } from './series.js';

const HEIGHT = 60;

/**
 * The chart of `points` over `window` (the service's; see chartRange for the span, chartScale for the places), with
 * a caption that says the span, the latency range and the failures, which is also the chart's accessible name.
 */
export function sparkline(key, points, window) {
  const { start, end, width, x } = chartScale(points, window);
  const max = Math.max(1, ...points.map((p) => p[1]));
  const y = (v) => (HEIGHT - 2 - (v / max) * (HEIGHT - 6)).toFixed(1);
  const chart = svg('svg', { class: 'spark', viewBox: `0 0 ${width} ${HEIGHT}`, preserveAspectRatio: 'none' });
  let path = '';
  let previous;
  for (const [t, latency, status] of points) {
    if (status === 'error') {
      // The bar ends at its point, so the newest failure is not clipped at the right edge.
      const bar = Math.max(1, width / 150);
      chart.append(svg('rect', { class: 'fail', x: Math.max(0, x(t) - bar), y: 0, width: bar, height: HEIGHT }));
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
  const span = duration(end - start).replace(/ 0 s$/, '');
  const range = latencies.length
    ? `${ms(Math.min(...latencies))} to ${ms(Math.max(...latencies))}`
    : 'no successful probe';
  const caption = `last ${span}: ${range}${failures ? `, ${failures} failed` : ''}`;
  chart.setAttribute('role', 'img');
  chart.setAttribute('aria-label', `${key} latency over the ${caption}`);
  return el('figure', { class: 'chart' }, chart, el('figcaption', { 'aria-hidden': 'true' }, caption));
}
