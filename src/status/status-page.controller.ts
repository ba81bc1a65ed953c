import { Controller, Get, Headers, Param, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DetailsAccess } from '../access/details-access.service';
import { BROWSER_HEADERS } from '../http/html-headers';
import { notFound } from '../http/not-found';
import { isPageFile, loadPageAssets, PageAsset, PageFile } from './status-page.assets';

/** Where the page lives, outside the `/api/v1` prefix. */
export const STATUS_PAGE_ROUTES = ['status', 'status/:file'];

/**
 * Only the page's own files may run or style it; it talks to its own origin only. No inline script or style is
 * allowed, so an injected string in a check's detail can never execute.
 */
const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** On the page and its files: a browser must not sniff the modules into another type either. */
const PAGE_HEADERS = {
  ...BROWSER_HEADERS,
  'content-security-policy': CSP,
  // The files change only with a deploy: browsers may keep them but must check the ETag each time.
  'cache-control': 'no-cache',
} as const;

/**
 * `GET /status`: the live status page and its scripts and style sheet, served from the repository. The page holds
 * no data (everything comes from the guarded API routes), and its files are served whenever the page is.
 */
@ApiExcludeController()
@Controller('status')
export class StatusPageController {
  /** Read on the first request for the page, not at start: a probe never needs them. */
  private assets?: ReadonlyMap<PageFile, PageAsset>;

  constructor(private readonly access: DetailsAccess) {}

  /**
   * The page. Without the token under `HEALTH_DETAILS=when-authorized` it answers 401 with `WWW-Authenticate: Bearer`
   * like every details route, but with the page itself as the body: a browser cannot send a bearer header when it
   * navigates, so the page's script asks for the token and sends it on its own requests. Hidden: 404, as the guard.
   */
  @Get()
  page(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Headers('if-none-match') ifNoneMatch?: string,
  ): Promise<void> {
    const level = this.access.levelOf(request);
    switch (level) {
      case 'granted':
        return this.send(reply, 'status.html', ifNoneMatch);
      case 'token-required':
        reply.header('www-authenticate', 'Bearer realm="secuscan-health"');
        // No 304 here: a validator on a 401 would let a cache turn the refusal into the page's 200.
        return this.send(reply, 'status.html', undefined, 401);
      case 'hidden':
        throw notFound(request);
    }
  }

  /** Its style sheet and its script modules, the listed ones only; any other name is a 404. */
  @Get(':file')
  file(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('file') file: string,
    @Headers('if-none-match') ifNoneMatch?: string,
  ): Promise<void> {
    if (!isPageFile(file) || file === 'status.html') throw notFound(request);
    return this.sendFile(request, reply, file, ifNoneMatch);
  }

  /**
   * A file of the page: it holds no data, so it is served whenever the page is (also without the token, or the page
   * that asks for the token could not load its script), and hidden with it.
   */
  private sendFile(request: FastifyRequest, reply: FastifyReply, file: PageFile, ifNoneMatch?: string): Promise<void> {
    if (this.access.levelOf(request) === 'hidden') throw notFound(request);
    return this.send(reply, file, ifNoneMatch);
  }

  private async send(reply: FastifyReply, file: PageFile, ifNoneMatch?: string, code = 200): Promise<void> {
    const asset = (this.assets ??= loadPageAssets()).get(file)!;
    reply.headers(
      code === 200 ? { ...PAGE_HEADERS, etag: asset.etag } : { ...PAGE_HEADERS, 'cache-control': 'no-store' },
    );
    if (ifNoneMatch === asset.etag) {
      await reply.code(304).send();
      return;
    }
    await reply.code(code).header('content-type', asset.contentType).send(asset.body);
  }
}
