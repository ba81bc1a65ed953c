import type { OpenAPIObject, SchemaObject } from '@nestjs/swagger';
import { definitionOf, listingDefinition } from '../../test/support/fake-indicator';
import { shippedDefinitions } from '../../test/support/shipped-checks';
import { documentHealthChecks } from './check-schemas';
import { exampleReports } from './health-examples';

/** The smallest document the function completes: the report's schema and nothing else. */
function documented(definitions = [...shippedDefinitions(), listingDefinition()]): Record<string, SchemaObject> {
  const document = {
    openapi: '3.0.0',
    info: { title: 't', version: '1' },
    paths: {},
    components: { schemas: { HealthReportDto: { type: 'object', properties: {} } } },
  } as OpenAPIObject;
  documentHealthChecks(document, definitions, '1.0.0');
  const checks = document.components?.schemas?.HealthChecks as SchemaObject;
  return checks.properties as Record<string, SchemaObject>;
}

const ownFields = (schema: SchemaObject) =>
  (schema.allOf?.[1] as SchemaObject).properties as Record<string, SchemaObject>;

describe('documentHealthChecks: each check’s schema from its definition', () => {
  it('types each field as it declares (a count by default), nullable where it says so', () => {
    const vault = definitionOf('vault', {
      fields: { address: { type: 'string', description: 'Where', example: 'vault:8200' } },
    });
    const checks = documented([...shippedDefinitions(), vault]);
    expect(ownFields(checks.vault).address).toMatchObject({ type: 'string', example: 'vault:8200' });
    expect(ownFields(checks.plugins).total).toMatchObject({ type: 'integer', example: 13 });
  });

  it('documents a list as an array of objects whose every declared field is required', () => {
    const hosts = ownFields(documented().replicas).hosts;
    expect(hosts).toMatchObject({ type: 'array', description: 'One entry per host; one item per `host`' });
    const item = hosts.items as SchemaObject;
    expect(item.required).toEqual(['host', 'status', 'lag_bytes', 'lag_seconds', 'streaming', 'detail']);
    expect(item.properties).toMatchObject({
      host: { type: 'string' },
      lag_bytes: { type: 'integer', nullable: true },
      lag_seconds: { type: 'number', nullable: true },
      streaming: { type: 'boolean', example: true },
    });
    expect((item.properties as Record<string, SchemaObject>).host.nullable).toBeUndefined();
  });

  it('shows one example item, made of the fields’ examples, in the healthy example report', () => {
    const { healthy } = exampleReports([listingDefinition()], '1.0.0');
    expect(healthy.checks.replicas).toEqual({
      status: 'ok',
      total: 1,
      hosts: [{ host: '10.0.0.6:5432', status: 'ok', lag_bytes: 0, lag_seconds: 0.2, streaming: true, detail: null }],
      latency_ms: 1,
      detail: null,
    });
  });
});
