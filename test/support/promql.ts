/** PromQL keywords and aggregation modifiers: words in an expression that name no series. */
const KEYWORDS = new Set(['and', 'or', 'unless', 'bool', 'offset', 'inf', 'nan', 'atan2']);

/**
 * The metric names a PromQL expression selects, read well enough for the queries we ship: string literals, label
 * matchers (`{…}`), ranges (`[…]`) and the label lists of `by`, `without`, `on`, `ignoring` and `group_*` are
 * dropped; what remains are function names (followed by `(`), keywords, numbers and metric names.
 */
export function metricNames(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, ' ')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
    .replace(/\$\w+/g, ' ');
  const names = new Set<string>();
  for (const match of stripped.matchAll(/[a-zA-Z_:][\w:]*(?=\s*(\(?))/g)) {
    const [name, call] = [match[0], match[1]];
    if (call === '(' || KEYWORDS.has(name.toLowerCase())) continue;
    names.add(name);
  }
  return [...names];
}

/**
 * The series names a Prometheus text exposition offers: each `# TYPE` line's name, and for histograms and summaries
 * the `_bucket`, `_sum` and `_count` series they expand to.
 */
export function exportedSeries(exposition: string): Set<string> {
  const names = new Set<string>();
  for (const [, name, type] of exposition.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    names.add(name);
    if (type === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(name + suffix);
    if (type === 'summary') for (const suffix of ['_sum', '_count']) names.add(name + suffix);
  }
  return names;
}
