// CreateUser's documented arguments one at a time (users.proto: "Name and email are required"):
// the suite's first INVALID_ARGUMENT check sends both wrong at once, which a server validating only
// one of them answers rightly too (issue 51: a student's server checked the name alone and passed).
import { randomBytes } from 'node:crypto';
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { CreateUserRequestSchema, CreateUserResponseSchema, DeleteUserRequestSchema } from '../../../proto/gen/wirelab/users/v1/users_pb.ts';
import type { Bilingual } from '../../../shared/bilingual.ts';
import { verdict, type CheckDefinition, type SuiteContext } from '../check-kit.ts';
import { grpcCall } from '../grpc-client.ts';
import { SERVICE, STATUS, statusIs, type GrpcState } from './grpc-calls.ts';

const CLAUSE = 'users.proto: CreateUser ("Name and email are required"); gRPC status codes (statuscodes.md): INVALID_ARGUMENT';

/** CreateUser with one field wrong and the other right; a user the server made anyway is deleted again. */
async function createWithOneFieldWrong(context: SuiteContext, fields: { name: string; email: string }) {
  const answer = await grpcCall(context, {
    path: `${SERVICE}/CreateUser`,
    messages: [toBinary(CreateUserRequestSchema, create(CreateUserRequestSchema, fields))],
  });
  const made = answer.status === STATUS.OK && answer.messages[0] ? fromBinary(CreateUserResponseSchema, answer.messages[0]).user : undefined;
  if (made?.id) {
    await grpcCall(context, {
      path: `${SERVICE}/DeleteUser`,
      messages: [toBinary(DeleteUserRequestSchema, create(DeleteUserRequestSchema, { id: made.id }))],
    }).catch(() => undefined);
  }
  return answer;
}

function oneFieldCheck(id: string, field: Bilingual, fields: () => { name: string; email: string }, wrong: Bilingual): CheckDefinition<GrpcState> {
  return {
    id,
    name: { en: `CreateUser with only the ${field.en} wrong: INVALID_ARGUMENT`, ru: `CreateUser, где неверно только ${field.ru}: INVALID_ARGUMENT` },
    expected: {
      en: `grpc-status 3 INVALID_ARGUMENT for ${wrong.en}`,
      ru: `grpc-status 3 INVALID_ARGUMENT на ${wrong.ru}`,
    },
    why: {
      clause: CLAUSE,
      text: {
        en: 'Every argument the method documents is checked on its own: a request wrong in one field is refused whatever the other holds.',
        ru: 'Каждый аргумент, который описывает метод, проверяется сам по себе: запрос с одним неверным полем отклоняется, что бы ни было в другом.',
      },
    },
    async run(context) {
      const answer = await createWithOneFieldWrong(context, fields());
      return verdict(answer.sent, answer.got, [statusIs(answer, STATUS.INVALID_ARGUMENT)]);
    },
  };
}

const freshEmail = () => `wirelab-grpc-valid-${randomBytes(4).toString('hex')}@example.com`;

export const validationChecks: CheckDefinition<GrpcState>[] = [
  oneFieldCheck('create-user-empty-name-invalid', { en: 'name', ru: 'имя' }, () => ({ name: '', email: freshEmail() }), {
    en: 'an empty name with a valid email',
    ru: 'пустое имя при верном email',
  }),
  oneFieldCheck('create-user-bad-email-invalid', { en: 'email', ru: 'email' }, () => ({ name: 'Wirelab gRPC check', email: 'not-an-email' }), {
    en: 'an email without @ with a valid name',
    ru: 'email без @ при верном имени',
  }),
];
