import type { PluginStateFilter } from './health-cli-args';
import { formatColumns, TableOptions } from './health-cli-table';
import { paint, printable, toneOf } from './health-cli-text';
import type { ReceivedDiagnostics, ReceivedRequirement } from './plugins-cli-judge';

/** How {@link formatPluginsTable} renders: the table options plus the state filter. */
export interface PluginsTableOptions extends TableOptions {
  readonly state?: PluginStateFilter;
}

const HEADINGS = ['PLUGIN', 'STATE', 'NAME', 'MISSING'] as const;
/** Install lines are shown in this order; unknown methods (a newer server) follow. */
const METHOD_ORDER = ['apt', 'brew', 'pip', 'go', 'docker', 'docs'];
const KIND_LABEL: Readonly<Record<string, string>> = {
  binary: 'binary',
  python_package: 'Python package',
  system_package: 'system package',
};

/**
 * Renders plugin diagnostics for people: a header with the counts and when they were checked, one row per plugin (only `state` when filtered),
 * the invalid manifests with their reasons, then a "To fix" list — each missing item, the plugins it blocks and the
 * ways to install it. Every server string goes through `printable`. Ends with a newline.
 */
export function formatPluginsTable(
  diagnostics: ReceivedDiagnostics,
  { color, url, state }: PluginsTableOptions,
): string {
  const tone = (status: string, text = status): string => (color ? paint(text, toneOf(status)) : text);
  const { total, runnable, blocked, disabled, invalid } = diagnostics;
  const out = [
    `plugins: ${total} total, ${tone('runnable', `${runnable} runnable`)}, ${blocked > 0 ? tone('blocked', `${blocked} blocked`) : `${blocked} blocked`}, ${disabled} disabled, ${invalid} invalid  checked: ${checkedAt(diagnostics)}  url: ${url}`,
  ];
  if (diagnostics.error !== null) out.push(`error: ${tone('error', printable(diagnostics.error))}`);
  const shown = diagnostics.plugins.filter((plugin) => state === undefined || plugin.state === state);
  const rows = shown.map((plugin) => [
    printable(plugin.id),
    printable(plugin.state),
    printable(plugin.name),
    plugin.missing.length ? plugin.missing.map(describe).join(', ') : '-',
  ]);
  out.push('');
  if (rows.length) {
    out.push(
      ...formatColumns(HEADINGS, rows, {
        paint: (padded, row, col) => (col === 1 ? tone(rows[row][1], padded) : padded),
      }),
    );
  } else {
    out.push(state ? `no ${state} plugins` : 'no plugins');
  }
  if (diagnostics.invalid_manifests.length) {
    out.push('', 'Invalid manifests:');
    for (const { folder, reason } of diagnostics.invalid_manifests)
      out.push(`  ${printable(folder)}: ${printable(reason)}`);
  }
  if (diagnostics.missing.length) {
    out.push('', 'To fix:');
    for (const item of diagnostics.missing) {
      const count = item.plugins.length;
      const plugins = item.plugins.map(printable).join(', ');
      out.push(`  ${describe(item)}: blocks ${count} plugin${count === 1 ? '' : 's'} (${plugins})`);
      const methods = Object.keys(item.install).sort((a, b) => rank(a) - rank(b));
      for (const method of methods) out.push(`      ${printable(method)}: ${printable(item.install[method])}`);
    }
  }
  return out.join('\n') + '\n';
}

/** When the service looked (`checked_at`), or `?` from a service that does not say. */
function checkedAt({ checked_at: at }: ReceivedDiagnostics): string {
  return typeof at === 'string' && at ? printable(at) : '?';
}

/** `nmap`, `python-nmap (Python package)`. */
function describe({ kind, name }: ReceivedRequirement): string {
  const label = KIND_LABEL[kind] ?? printable(kind);
  return kind === 'binary' ? printable(name) : `${printable(name)} (${label})`;
}

function rank(method: string): number {
  const index = METHOD_ORDER.indexOf(method);
  return index === -1 ? METHOD_ORDER.length : index;
}
