import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One file of the page, read once (on the first request for the page), with its validator. */
export interface PageAsset {
  readonly body: Buffer;
  readonly contentType: string;
  readonly etag: string;
}

const HTML = 'text/html; charset=utf-8';
const CSS = 'text/css; charset=utf-8';
// Browsers run a module only when it is served with a JavaScript media type.
const JS = 'text/javascript; charset=utf-8';

/**
 * The page's files and their media types, and the only names served: the page, its style sheet, its entry module
 * (status.js) and each module that one imports. The build copies `page/` next to this file.
 */
const FILES = {
  'status.html': HTML,
  'status.css': CSS,
  'status.js': JS,
  'api.js': JS,
  'checks.view.js': JS,
  'connection.view.js': JS,
  'dom.js': JS,
  'escape.js': JS,
  'format.js': JS,
  'maintenance.view.js': JS,
  'overall.view.js': JS,
  'plugins.view.js': JS,
  'series.js': JS,
  'sparkline.view.js': JS,
  'sse.js': JS,
  'state.js': JS,
  'stream.js': JS,
  'timeline.view.js': JS,
  'token-form.view.js': JS,
  'token-store.js': JS,
  'uptime.view.js': JS,
} as const;

/** A file name of the page. */
export type PageFile = keyof typeof FILES;

/** Whether `name` is one of the page's files. */
export function isPageFile(name: string): name is PageFile {
  return Object.hasOwn(FILES, name);
}

/** Reads the page's files from the repository (no CDN, nothing fetched at run time). */
export function loadPageAssets(folder = join(__dirname, 'page')): ReadonlyMap<PageFile, PageAsset> {
  const assets = new Map<PageFile, PageAsset>();
  for (const [name, contentType] of Object.entries(FILES) as Array<[PageFile, string]>) {
    const body = readFileSync(join(folder, name));
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
    assets.set(name, { body, contentType, etag });
  }
  return assets;
}
