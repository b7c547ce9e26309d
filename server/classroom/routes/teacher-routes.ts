import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Board, ClassSummary } from '../../../contracts/class-channel/messages.ts';
import { boardToCsv } from '../board/board-csv.ts';
import { sendError } from '../class-errors.ts';
import { normalizeClassCode } from '../names/class-code.ts';
import { logClassEvent } from '../class-log.ts';
import type { ClassroomStore } from '../stores/classroom-store.ts';
import { cleanClassTitle } from '../names/display-name.ts';
import { classCodeParams, classroomValidator, classTitleBody, refusalOf } from '../route-schemas.ts';

// The teacher's HTTP side for scripts and gradebooks (the page uses the class channel): the
// classes, a new class, a class's board and its CSV and JSON exports. The controls' routes are
// beside their controls (teacher-controls.ts, class-state-controls.ts, member-attempts.ts).

export interface TeacherRouteDeps {
  store: ClassroomStore;
  /** null: no such class */
  board(code: string): Promise<Board | null>;
  classSummaries(): Promise<ClassSummary[]>;
}

/** `preHandler` refuses a request without the teacher key. */
export function teacherRoutes(
  app: FastifyInstance,
  classPath: string,
  deps: TeacherRouteDeps,
  teacherOnly: (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>,
): void {
  app.get(`${classPath}/classes`, { preHandler: teacherOnly }, async () => ({ classes: await deps.classSummaries() }));

  app.post(
    `${classPath}/classes`,
    { preHandler: teacherOnly, attachValidation: true, validatorCompiler: classroomValidator, schema: { body: classTitleBody } },
    async (request, reply) => {
      const refused = refusalOf(request, 'BAD_TITLE');
      if (refused) return sendError(reply, refused.status, refused.error);
      const title = cleanClassTitle((request.body as { title?: unknown } | undefined)?.title);
      if (title === null) return sendError(reply, 400, 'BAD_TITLE');
      const created = await deps.store.createClass(title);
      if (!created) return sendError(reply, 403, 'TOO_MANY_CLASSES');
      logClassEvent(app.log, { kind: 'class-created', code: created.code, title: created.title });
      return reply.code(201).send(created);
    },
  );

  /** The class's board, or null after answering 404. */
  const boardFromParams = async (request: FastifyRequest, reply: FastifyReply): Promise<Board | null> => {
    const code = request.validationError ? null : normalizeClassCode((request.params as { code: string }).code);
    const snapshot = code ? await deps.board(code) : null;
    if (!snapshot) sendError(reply, 404, 'NO_SUCH_CLASS');
    return snapshot;
  };

  const boardOptions = { preHandler: teacherOnly, attachValidation: true, schema: { params: classCodeParams } };

  app.get(`${classPath}/classes/:code/board`, boardOptions, async (request, reply) => {
    const snapshot = await boardFromParams(request, reply);
    return snapshot ?? reply;
  });

  app.get(`${classPath}/classes/:code/export.csv`, boardOptions, async (request, reply) => {
    const snapshot = await boardFromParams(request, reply);
    if (!snapshot) return reply;
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="wirelab-class-${snapshot.code}.csv"`)
      .send(boardToCsv(snapshot));
  });

  app.get(`${classPath}/classes/:code/export.json`, boardOptions, async (request, reply) => {
    const snapshot = await boardFromParams(request, reply);
    if (!snapshot) return reply;
    return reply.header('content-disposition', `attachment; filename="wirelab-class-${snapshot.code}.json"`).send(snapshot);
  });
}
