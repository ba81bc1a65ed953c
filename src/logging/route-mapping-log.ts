import type { LoggerService } from '@nestjs/common';

/** The context of Nest's per-controller line, `StatusPageController {/api/v1/status}:`. */
const ROUTES_RESOLVER = 'RoutesResolver';

/**
 * Wraps `logger` so that Nest's per-controller line names the path really served. Nest builds that line with the
 * global prefix and without its exclusions (the `Mapped {...}` lines after it apply them), so a controller excluded
 * from the prefix, like the status page at `/status`, was logged as `StatusPageController {/api/v1/status}:`.
 * Every other call goes to `logger` unchanged.
 */
export function withTruthfulRouteMapping(
  logger: LoggerService,
  prefix: string,
  excluded: readonly string[],
): LoggerService {
  const wrongly = new Map(excluded.map((route) => [`{/${prefix}/${route}}:`, `{/${route}}:`]));
  return new Proxy(logger, {
    get(target, key, receiver): unknown {
      if (key !== 'log') return Reflect.get(target, key, receiver) as unknown;
      return (message: unknown, ...rest: unknown[]): void => {
        if (typeof message === 'string' && rest.includes(ROUTES_RESOLVER)) {
          const [controller, path] = message.split(' ', 2);
          const served = path === undefined ? undefined : wrongly.get(path);
          if (served) message = `${controller} ${served}`;
        }
        target.log(message, ...rest);
      };
    },
  });
}
