/** The service's routes that the deployment files name, and which listener shows what. */

/** Where the app serves Prometheus text. */
export const METRICS_PATH = '/api/v1/metrics';

/** The route each Kubernetes probe must ask. */
export const PROBE_PATHS = {
  startupProbe: '/api/v1/health/live',
  livenessProbe: '/api/v1/health/live',
  readinessProbe: '/api/v1/health/ready',
} as const;

/** Routes that show details: on the management port only, 404 on the main one once a management port is set. */
export const DETAILS_ROUTES = [METRICS_PATH, '/api/v1/health/history', '/status'];

/** The live event stream, a details route too; it never ends, so only its status is read. */
export const EVENTS_PATH = '/api/v1/health/events';
