import { connectionBudget } from '../http/connection-budget';
import { settingsFrom } from '../config/settings';
import { HTTP_SETTINGS, type HttpSettings } from '../http/http.settings';
import { eventStreamsFit } from './event-stream-seats';
import type { StatusSettings } from './status.settings';

describe('eventStreamsFit', () => {
  const status = (eventsMax: number): StatusSettings => ({ historySize: 500, eventsMax });
  const http = (fileLimit: number, managementPort?: number): HttpSettings => ({
    ...settingsFrom(HTTP_SETTINGS, {}),
    managementPort,
    budget: connectionBudget(fileLimit),
  });

  it('lets the streams fill the shared connections of the management listener, and no more', () => {
    // 256 connections, 32 probe seats.
    expect(eventStreamsFit(status(224), http(20000, 9000))).toBeUndefined();
    expect(eventStreamsFit(status(1000), http(20000, 9000))).toBe(
      'HEALTH_EVENTS_MAX must be at most 224 here (got 1000): the management listener holds 256 connections at an ' +
        'open-file limit of 20000, 32 of them kept for liveness and readiness',
    );
  });

  it('measures against the main listener when there is no management port', () => {
    expect(eventStreamsFit(status(1000), http(20000))).toBeUndefined();
    // A limit of 400: 108 connections on the main listener, 13 probe seats.
    expect(eventStreamsFit(status(100), http(400))).toMatch(
      /^HEALTH_EVENTS_MAX must be at most 95 here \(got 100\): the main listener holds 108 connections/,
    );
  });

  it('refuses the default cap of 100 on a management listener under a low file limit (86 connections at 600)', () => {
    expect(eventStreamsFit(status(100), http(600, 9000))).toMatch(/^HEALTH_EVENTS_MAX must be at most 76 here/);
    expect(eventStreamsFit(status(100), http(1024, 9000))).toBeUndefined();
  });
});
