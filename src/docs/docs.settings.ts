import { defineSettings, flag, SettingsOf } from '../config/settings';

/** The API documentation. */
export const DOCS_SETTINGS = defineSettings('docs', {
  enabled: flag('DOCS_ENABLED', {
    default: true,
    description: 'Whether Swagger UI (`/api/docs`) and the OpenAPI document (`/api/docs-json`) are served.',
  }),
});

/** The parsed {@link DOCS_SETTINGS}. */
export type DocsSettings = SettingsOf<typeof DOCS_SETTINGS>;
