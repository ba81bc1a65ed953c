import type { HttpAdapterHost } from '@nestjs/core';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';

/**
 * Resolves once the app's main listener has sent its first answer, or `quietMs` after it started listening when no
 * request came by then; never while the app does not listen. Start-up work no probe needs (loading and connecting the
 * drivers, scanning the plugins) waits for it: begun as the port opens, it would hold a probe that is already on its
 * way for as long as it runs, the first thing a supervisor polling the port would see.
 */
export function afterFirstAnswer(adapterHost: HttpAdapterHost, quietMs: number): Promise<void> {
  return new Promise((resolve) => {
    const watch = (): void => {
      const timer = setTimeout(resolve, quietMs).unref();
      const server = adapterHost.httpAdapter.getHttpServer() as Server;
      server.once('request', (_request: IncomingMessage, response: ServerResponse) =>
        response.once('finish', () => {
          clearTimeout(timer);
          resolve();
        }),
      );
    };
    if (adapterHost.listening) watch();
    else adapterHost.listen$.subscribe(watch);
  });
}
