import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { COMPLETE_STARTERS_ZIP_PATH } from '../../../contracts/own-server/check-result.ts';
import { startersZip } from '../../own-server/starters-zip.ts';

// The teacher's copy of the starters (issue 37): the students' zip leaves the complete versions
// out, since filling in the skeletons is the homework; the teacher grades against them, so the
// desk downloads the zip with starters/<language>/complete/ behind the teacher key.

const FILE_NAME = 'wirelab-starters-complete.zip';

/** `GET /_wirelab/class/starters-complete.zip`: `teacherOnly` refuses a request without the teacher key (403, problem+json). */
export function completeStartersRoute(app: FastifyInstance, teacherOnly: (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>): void {
  let zip: Buffer | null = null;
  app.get(
    COMPLETE_STARTERS_ZIP_PATH,
    {
      preHandler: teacherOnly,
      schema: {
        description: 'The starter servers with their complete versions as one zip (the teacher key only)',
        response: { 200: { type: 'string', format: 'binary' } },
      },
    },
    async (_request, reply) => {
      // built once, on the first download, from this checkout's files, like the students' zip
      zip ??= Buffer.from(startersZip(undefined, { complete: true }));
      // a cache on the way must not hand the answers to whoever asks next without the key
      return reply
        .type('application/zip')
        .header('cache-control', 'private, no-store')
        .header('content-disposition', `attachment; filename="${FILE_NAME}"`)
        .send(zip);
    },
  );
}
