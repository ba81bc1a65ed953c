import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { APP_CHECKS, APP_SETTINGS } from './app.composition';
import type { SettingsGroup } from './config/settings';

/** The guide whose table of variables is generated, between these markers. */
export const REFERENCE_FILE = join('docs', 'configuration.md');
const START = '<!-- config:start -->';
const END = '<!-- config:end -->';

/** Every group the application parses, in the order it parses them: the app's own, then each check's. */
export function referenceGroups(): SettingsGroup[] {
  return [...APP_SETTINGS, ...APP_CHECKS.flatMap((check) => (check.settings ? [check.settings] : []))];
}

/** The table of environment variables, generated from the settings the features declare beside their code. */
export function renderReference(groups: readonly SettingsGroup[] = referenceGroups()): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|');
  const rows = groups.flatMap((group) =>
    Object.values(group.settings).map(
      (setting) =>
        `| ${group.feature} | \`${setting.name}\` | ${cell(code(setting.defaultText))} | ${cell(setting.description)} |`,
    ),
  );
  return ['| feature | variable | default | what it does |', '|---|---|---|---|', ...rows].join('\n');
}

/** A default that is a literal value is shown as code; prose (`unset`, `the version of package.json`) is not. */
function code(defaultText: string): string {
  return /^(unset|empty|inherited|the |`)/.test(defaultText) ? defaultText : `\`${defaultText}\``;
}

/** The generated part of `text` (the guide), or `undefined` when its markers are missing. */
export function generatedPart(text: string): string | undefined {
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  return start < 0 || end < start ? undefined : text.slice(start + START.length, end).trim();
}

/** A Markdown table without the padding a formatter adds: cells trimmed, separator rows reduced to `---`. */
export function tableCells(table: string): string[][] {
  return table
    .split('\n')
    .filter((line) => line.trim().startsWith('|'))
    .map((line) =>
      line
        .trim()
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((cell) => (/^\s*:?-+:?\s*$/.test(cell) ? '---' : cell.trim())),
    );
}

/** Rewrites the table in the guide under `root` (`npm run docs:config`). */
export function writeReference(root: string): void {
  const path = join(root, REFERENCE_FILE);
  const text = readFileSync(path, 'utf8');
  if (generatedPart(text) === undefined) throw new Error(`${path} has no ${START} … ${END} markers`);
  const before = text.slice(0, text.indexOf(START) + START.length);
  writeFileSync(path, `${before}\n\n${renderReference()}\n\n${text.slice(text.indexOf(END))}`);
}

if (require.main === module) writeReference(join(__dirname, '..'));
