import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The repository root: the deployment files, the sources the tests read, and the dist/ that `npm run build` makes. */
export const ROOT = join(__dirname, '..', '..');

/** The text of a file of the repository, by its path from the root in parts: `readRepoFile('src', 'main.ts')`. */
export const readRepoFile = (...path: string[]): string => readFileSync(join(ROOT, ...path), 'utf8');
