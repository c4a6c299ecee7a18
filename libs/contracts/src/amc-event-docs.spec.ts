import fs from 'node:fs';
import path from 'node:path';
import { AMC_EVENT_EXAMPLE, amcEventExampleMarkdown, amcEventFieldsMarkdown } from './amc-event-docs';
import { AmcExecutionCompletedEvent } from './amc-execution-event.schema';
import { buildOpenApiDocument } from './api/openapi-document';

const readme = () => fs.readFileSync(path.join(__dirname, '../../../README.md'), 'utf8');

describe('the AMC event for integrators', () => {
  it('has an example the gateway accepts', () => {
    const parsed = AmcExecutionCompletedEvent.safeParse(AMC_EVENT_EXAMPLE);
    expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
  });

  it('describes every field of the schema, nested ones by their path', () => {
    const table = amcEventFieldsMarkdown();
    const paths = [...table.matchAll(/^\| `([^`]+)`/gm)].map((match) => match[1]);
    expect(paths).toEqual([
      'eventId', 'type', 'occurredAt', 'instanceId', 'workflowId', 'amcWorkflowId', 'executionId', 'status',
      'timeWindow', 'timeWindow.start', 'timeWindow.end', 'timeWindow.timeZone',
      'result', 'result.format', 'result.columns', 'result.rows', 'result.format', 'result.url',
      'error', 'error.code', 'error.message',
    ]);
    // No row without its meaning, and a union's variants told apart.
    for (const row of table.split('\n').slice(2)) expect(row).toMatch(/\| [^|]*[a-z][^|]* \|$/);
    expect(table).toContain('| `result.url` (format csv) | string (uri) | yes |');
    expect(table).toContain('`PENDING` \\| `RUNNING`');
  });

  it('is in the README as generated: the field table and the example', () => {
    expect(readme()).toContain(amcEventFieldsMarkdown());
    expect(readme()).toContain(amcEventExampleMarkdown());
  });

  it('gives the OpenAPI document the example, and the descriptions another lib appends', () => {
    const document = buildOpenApiDocument(undefined, { appendDescriptions: { receiveAmcExecutionCompleted: 'columns here' } });
    const operation = document.paths['/v1/events/amc/execution-completed'].post;
    expect(operation.requestBody?.content['application/json'].example).toEqual(AMC_EVENT_EXAMPLE);
    expect(operation.description).toMatch(/window of time it covered[\s\S]*\n\ncolumns here$/);
  });
});
