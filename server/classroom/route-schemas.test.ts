import Fastify, { type RouteOptions } from 'fastify';
import { describe, expect, it } from 'vitest';
import { classStateRoutes, type ClassStateControls } from './controls/class-state-controls.ts';
import { classroomValidator, timerBody } from './route-schemas.ts';
import { studentRoutes, type StudentRouteDeps } from './routes/student-routes.ts';
import { teacherRoutes, type TeacherRouteDeps } from './routes/teacher-routes.ts';

/** The routes the classroom's HTTP side registers, as Fastify sees them (no handler runs). */
async function classroomRoutes(): Promise<RouteOptions[]> {
  const app = Fastify();
  const routes: RouteOptions[] = [];
  app.addHook('onRoute', (route) => {
    routes.push(route);
  });
  const teacherOnly = async () => undefined;
  studentRoutes(app, '/c', {} as StudentRouteDeps);
  teacherRoutes(app, '/c', {} as TeacherRouteDeps, teacherOnly);
  classStateRoutes(app, '/c', {} as ClassStateControls, teacherOnly);
  await app.ready();
  await app.close();
  return routes.filter((route) => route.method !== 'HEAD');
}

describe('the classroom routes declare what they take', () => {
  it('every body they read has a schema, every class code in a path too', async () => {
    const routes = await classroomRoutes();
    const withBody = routes.filter((route) => route.schema?.body).map((route) => `${route.method} ${route.url}`);
    expect(withBody.sort()).toEqual(
      [
        'POST /c/classes',
        'POST /c/join',
        'POST /c/progress',
        'PUT /c/classes/:code/assignment',
        'PUT /c/classes/:code/notice',
        'PUT /c/classes/:code/timer',
      ].sort(),
    );
    const codeRoutes = routes.filter((route) => route.url.includes(':code'));
    expect(codeRoutes.length).toBeGreaterThanOrEqual(13);
    for (const route of codeRoutes) expect(route.schema?.params, `${route.method} ${route.url}`).toBeDefined();
    // a refusal is the class's own problem+json, so every schema's error reaches the handler
    for (const route of routes.filter((each) => each.schema)) expect(route.attachValidation, `${route.method} ${route.url}`).toBe(true);
  });

  it('takes bodies exactly as sent ("5" is not a number of minutes), path parameters from their strings', () => {
    const body = classroomValidator({ schema: timerBody, method: 'PUT', url: '/', httpPart: 'body' }) as (data: unknown) => { error?: unknown };
    expect(body({ minutes: 5 }).error).toBeUndefined();
    expect(body({ minutes: '5' }).error).toBeDefined();
    expect(body({ minutes: 500 }).error).toBeDefined();
    const params = classroomValidator({ schema: { type: 'object', properties: { id: { type: 'integer' } } }, method: 'GET', url: '/', httpPart: 'params' }) as (
      data: unknown,
    ) => { error?: unknown };
    expect(params({ id: '7' }).error).toBeUndefined();
  });
});
