import { fromJson } from '@bufbuild/protobuf';
import { describe, expect, it } from 'vitest';
import { LabService } from '../../../../proto/gen/wirelab/lab/v1/lab_pb.ts';
import { ListUsersRequestSchema, UserService, UserStatus } from '../../../../proto/gen/wirelab/users/v1/users_pb.ts';
import { BadTranscodedRequest, httpBindings, parseTemplate, requestJson, UnsupportedRuleError } from './http-rules.ts';

describe('parseTemplate', () => {
  it('turns literals and {field} variables into a Fastify path', () => {
    expect(parseTemplate('/v1/users/{id}')).toEqual({ routePath: '/v1/users/:p0', pathFields: ['id'] });
    expect(parseTemplate('/v1/{user.id}/x/{name}')).toEqual({ routePath: '/v1/:p0/x/:p1', pathFields: ['user.id', 'name'] });
  });

  it('refuses wildcards, {field=pattern} and verbs', () => {
    for (const template of ['/v1/*', '/v1/{name=users/*}', '/v1/users:batchGet', 'v1/users']) {
      expect(() => parseTemplate(template)).toThrow(UnsupportedRuleError);
    }
  });
});

describe('httpBindings', () => {
  it("derives UserService's routes from its google.api.http annotations", () => {
    const routes = httpBindings([UserService, LabService]).map((b) => `${b.verb} ${b.routePath} body=${b.body || '-'} ${b.method.name}`);
    expect(routes).toEqual([
      'GET /v1/users/:p0 body=- GetUser',
      'POST /v1/users body=* CreateUser',
      'PATCH /v1/users/:p0 body=* UpdateUser',
      'DELETE /v1/users/:p0 body=- DeleteUser',
      'GET /v1/users body=- ListUsers',
    ]);
  });
});

describe('requestJson', () => {
  const [getUser, createUser, updateUser, , listUsers] = httpBindings([UserService]);

  it('fills path variables, and they win over the body', () => {
    expect(requestJson(getUser, ['7'], undefined, new URLSearchParams())).toEqual({ id: '7' });
    expect(requestJson(updateUser, ['3'], { id: 99, name: 'N' }, new URLSearchParams())).toEqual({ id: '3', name: 'N' });
  });

  it('reads nested, enum and repeated fields from the query string, by proto or JSON name', () => {
    const json = requestJson(listUsers, [], undefined, new URLSearchParams('filter.status=2&filter.query=ada&maxUsers=5&interval_ms=0'));
    expect(json).toEqual({ filter: { status: 2, query: 'ada' }, maxUsers: '5', intervalMs: '0' });
    const message = fromJson(ListUsersRequestSchema, json);
    expect(message.filter?.status).toBe(UserStatus.INACTIVE);
    expect(message.maxUsers).toBe(5);
  });

  it('refuses unknown query parameters, repeated singular ones, and query parameters beside body "*"', () => {
    expect(() => requestJson(listUsers, [], undefined, new URLSearchParams('colour=red'))).toThrow(BadTranscodedRequest);
    expect(() => requestJson(listUsers, [], undefined, new URLSearchParams('max_users=1&max_users=2'))).toThrow(/not repeated/);
    expect(() => requestJson(listUsers, [], undefined, new URLSearchParams('filter=x'))).toThrow(BadTranscodedRequest);
    expect(() => requestJson(createUser, [], { name: 'a' }, new URLSearchParams('name=b'))).toThrow(/in the body/);
    expect(() => requestJson(createUser, [], ['not', 'an', 'object'], new URLSearchParams())).toThrow(/JSON object/);
  });
});
