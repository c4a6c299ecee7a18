import { checkResponse, findOperation } from './openapi-conformance';

const workflow = {
  id: '3f2b6c1e-8d4a-4b7e-9c2d-1a2b3c4d5e6f', organizationId: '4f2b6c1e-8d4a-4b7e-9c2d-1a2b3c4d5e6f', createdBy: null, name: 'w',
  description: null, sqlQuery: 'SELECT 1', queryTemplateId: null, amcInstanceId: 'inst', amcWorkflowId: null, reportEnabled: false,
  reportConfigId: null, createdAt: '2026-12-01T12:00:00.000Z', updatedAt: '2026-12-01T12:00:00.000Z',
};

describe('OpenAPI conformance of real answers', () => {
  it('finds the operation of a concrete URL, and none for routes outside the API', () => {
    expect(findOperation('GET', '/v1/workflows/3f2b6c1e-8d4a-4b7e-9c2d-1a2b3c4d5e6f')?.operationId).toBe('getWorkflow');
    expect(findOperation('GET', '/v1/reports/x/dashboard?executionId=1')?.operationId).toBe('getDashboard');
    expect(findOperation('GET', '/app/index.html')).toBeNull();
  });

  it('accepts an answer the document describes', () => {
    expect(checkResponse('GET', `/v1/workflows/${workflow.id}`, 200, 'application/json; charset=utf-8', workflow)).toBeNull();
    expect(checkResponse('GET', `/v1/workflows/${workflow.id}`, 404, 'application/json', { statusCode: 404, error: 'not_found', message: 'workflow not found' })).toBeNull();
  });

  it('refuses a body missing a field, a field of the wrong type, and an error without its code', () => {
    const { sqlQuery: _omitted, ...withoutSql } = workflow;
    expect(checkResponse('GET', `/v1/workflows/${workflow.id}`, 200, 'application/json', withoutSql)?.problem).toMatch(/sqlQuery/);
    expect(checkResponse('GET', `/v1/workflows/${workflow.id}`, 200, 'application/json', { ...workflow, reportEnabled: 'yes' })?.problem).toMatch(/boolean/);
    expect(checkResponse('GET', `/v1/workflows/${workflow.id}`, 404, 'application/json', { statusCode: 404, message: 'x' })?.problem).toMatch(/error/);
  });

  it('refuses a status the operation does not document, and a JSON answer sent as something else', () => {
    expect(checkResponse('GET', '/v1/workflows', 409, 'application/json', {})?.problem).toMatch(/status 409 is not documented/);
    expect(checkResponse('GET', `/v1/workflows/${workflow.id}`, 200, 'text/html', workflow)?.problem).toMatch(/text\/html/);
  });
});
