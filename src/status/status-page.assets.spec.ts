import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isPageFile, loadPageAssets } from './status-page.assets';

const PAGE = join(__dirname, 'page');
/** The page's browser files in the folder (the specs beside them are not served). */
const served = readdirSync(PAGE).filter((name) => /\.(html|css|js)$/.test(name));
const modules = served.filter((name) => name.endsWith('.js'));

describe('the status page files', () => {
  it('serves every file of the page folder, and only those', () => {
    const assets = loadPageAssets(PAGE);
    expect([...assets.keys()].sort()).toEqual([...served].sort());
    for (const name of modules) {
      expect([name, isPageFile(name) && assets.get(name)?.contentType]).toEqual([
        name,
        'text/javascript; charset=utf-8',
      ]);
    }
    expect(isPageFile('other.js')).toBe(false);
    expect(isPageFile('sse.spec.ts')).toBe(false);
  });

  it('every module imports listed files of its own folder only, so the browser never asks for a 404', () => {
    for (const name of modules) {
      const source = readFileSync(join(PAGE, name), 'utf8');
      const specifiers = [...source.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+['"]([^'"]+)['"]/gm)].map(
        (m) => m[1],
      );
      for (const specifier of specifiers) {
        expect([name, specifier]).toEqual([name, expect.stringMatching(/^\.\/[^/]+\.js$/)]);
        expect([name, isPageFile(specifier.slice(2))]).toEqual([name, true]);
      }
    }
  });
});
