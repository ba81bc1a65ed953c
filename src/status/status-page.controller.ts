import { Controller, Get, Headers, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { DetailsRoute } from '../access/details-route.decorator';
import { loadPageAssets, PageFile } from './status-page.assets';

/** Where the page lives, outside the `/api/v1` prefix. */
export const STATUS_PAGE_ROUTES = ['status', 'status/status.js', 'status/status.css'];

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

const PAGE_HEADERS = {
  'content-security-policy': CSP,
  // The files change only with a deploy: browsers may keep them but must check the ETag each time.
  'cache-control': 'no-cache',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
} as const;

/** `GET /status`: the live status page and its script and style sheet, served from the repository. */
@ApiExcludeController()
@Controller('status')
@DetailsRoute()
export class StatusPageController {
  private readonly assets = loadPageAssets();

  /** The page. */
  @Get()
  page(@Res() reply: FastifyReply, @Headers('if-none-match') ifNoneMatch?: string): Promise<void> {
    return this.send(reply, 'status.html', ifNoneMatch);
  }

  /** Its script. */
  @Get('status.js')
  script(@Res() reply: FastifyReply, @Headers('if-none-match') ifNoneMatch?: string): Promise<void> {
    return this.send(reply, 'status.js', ifNoneMatch);
  }

  /** Its style sheet. */
  @Get('status.css')
  style(@Res() reply: FastifyReply, @Headers('if-none-match') ifNoneMatch?: string): Promise<void> {
    return this.send(reply, 'status.css', ifNoneMatch);
  }

  private async send(reply: FastifyReply, file: PageFile, ifNoneMatch?: string): Promise<void> {
    const asset = this.assets.get(file)!;
    reply.headers({ ...PAGE_HEADERS, etag: asset.etag });
    if (ifNoneMatch === asset.etag) {
      await reply.code(304).send();
      return;
    }
    await reply.code(200).header('content-type', asset.contentType).send(asset.body);
  }
}
