import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAppConfig } from '../src/app.composition';
import {
  generatedPart,
  REFERENCE_FILE,
  referenceGroups,
  renderReference,
  tableCells,
} from '../src/configuration-reference';

const ROOT = join(__dirname, '..');

/** The configuration reference is generated from the settings the features declare, so it cannot drift. */
describe('docs/configuration.md', () => {
  const guide = readFileSync(join(ROOT, REFERENCE_FILE), 'utf8');

  it('holds the table generated from the code (run `npm run docs:config` after changing a setting)', () => {
    expect(tableCells(generatedPart(guide) ?? '')).toEqual(tableCells(renderReference()));
  });

  it('lists every variable the application parses, once', () => {
    const names = referenceGroups().flatMap((group) => Object.values(group.settings).map((setting) => setting.name));
    expect(new Set(names).size).toBe(names.length);
    for (const name of ['PORT', 'DATABASE_URL', 'REDIS_URL', 'PLUGINS_DIR', 'HEALTH_CACHE_TTL_MS', 'LOG_FORMAT']) {
      expect(names).toContain(name);
    }
    // Every group the parser serves is in the reference: nothing is read that is not documented.
    const parsed = [...parseAppConfig({}).entries()].map(([group]) => group);
    expect(parsed).toEqual(referenceGroups());
  });
});
