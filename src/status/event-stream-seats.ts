import type { HttpSettings } from '../http/http.settings';
import type { StatusSettings } from './status.settings';

/**
 * `HEALTH_EVENTS_MAX` against the listener that serves the streams (the management listener when `MANAGEMENT_PORT`
 * is set, since details live only there; else the main one): each open stream holds a connection, and the probe
 * seats are not theirs to take, so the cap must fit in the shared connections. The problem in one line, or
 * `undefined` when it fits.
 */
export function eventStreamsFit(status: StatusSettings, http: HttpSettings): string | undefined {
  const listener = http.managementPort === undefined ? 'main' : 'management';
  const { connections, probeSeats } = http.budget[listener];
  const shared = connections - probeSeats;
  if (status.eventsMax <= shared) return undefined;
  return (
    `HEALTH_EVENTS_MAX must be at most ${shared} here (got ${status.eventsMax}): the ${listener} listener holds ` +
    `${connections} connections at an open-file limit of ${http.budget.fileLimit}, ${probeSeats} of them kept ` +
    'for liveness and readiness'
  );
}
