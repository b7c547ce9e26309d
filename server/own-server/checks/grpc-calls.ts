// What the gRPC suite's checks share: the service's path, the status codes by name, the state the
// suite prepares (one user made through CreateUser), and making and deleting users through gRPC.
import type { Bilingual } from '../../../shared/bilingual.ts';
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { CreateUserRequestSchema, CreateUserResponseSchema, DeleteUserRequestSchema } from '../../../proto/gen/wirelab/users/v1/users_pb.ts';
import { failed, type SuiteContext, type Expectation } from '../check-kit.ts';
import { markedUnique } from '../wirelab-itself.ts';
import { grpcCall, type GrpcAnswer } from '../grpc-client.ts';
import { GRPC_CODE_NAMES } from '../../../shared/grpc-codes.ts';

export const SERVICE = '/wirelab.users.v1.UserService';
export const STATUS = { OK: 0, UNKNOWN: 2, INVALID_ARGUMENT: 3, DEADLINE_EXCEEDED: 4, NOT_FOUND: 5, UNIMPLEMENTED: 12 } as const;
const STATUS_NAMES: readonly string[] = GRPC_CODE_NAMES;

export interface GrpcState {
  email: string;
  created: GrpcAnswer | null;
  userId: number | null;
  error?: string;
}

export const statusName = (status: number | null) => (status === null ? 'none' : `${status} ${STATUS_NAMES[status] ?? ''}`.trim());

export function statusIs(answer: GrpcAnswer, status: number): Expectation {
  const derived = answer.statusFromHttp ? ` (from HTTP ${answer.httpStatus}, no grpc-status sent)` : '';
  const derivedRu = answer.statusFromHttp ? ` (из HTTP ${answer.httpStatus}, grpc-status не прислан)` : '';
  const got = statusName(answer.status);
  if (answer.status === status) return [true, { en: '', ru: '' }];
  if (answer.status === null) {
    return [
      false,
      {
        en: `the answer has no grpc-status (HTTP ${answer.httpStatus}, neither in trailers nor in a trailers-only HEADERS): a gRPC client reports that as an error, not ${statusName(status)}`,
        ru: `в ответе нет grpc-status (HTTP ${answer.httpStatus}, ни в трейлерах, ни в HEADERS без тела): клиент gRPC сочтёт это ошибкой, а не ${statusName(status)}`,
      },
    ];
  }
  const crashed = answer.status === STATUS.UNKNOWN && status !== STATUS.UNKNOWN;
  return [
    false,
    {
      en: `grpc-status ${got}${derived}, not ${statusName(status)} ${answer.statusMessage}`.trim() + (crashed ? CRASHED.en : ''),
      ru: `grpc-status ${got}${derivedRu}, а не ${statusName(status)} ${answer.statusMessage}`.trim() + (crashed ? CRASHED.ru : ''),
    },
  ];
}

/** grpcio answers UNKNOWN ("Exception calling application: …") when a handler raises; connect and grpc-go's recovery do too. */
const CRASHED: Bilingual = {
  en: " — UNKNOWN is what a gRPC library sends when your handler raised an exception: see the server's log",
  ru: ' — UNKNOWN библиотека gRPC отправляет, когда ваш обработчик выбросил исключение: загляните в логи сервера',
};

export const noUser = (state: GrpcState) =>
  failed('', state.error ?? state.created?.got ?? '', {
    en: 'No user to check this on: CreateUser did not answer OK with a user (see the first check).',
    ru: 'Не на ком проверить: CreateUser не ответил OK с пользователем (см. первую проверку).',
  });

export async function createThroughGrpc(context: SuiteContext, tag = 'main'): Promise<GrpcState> {
  const email = `wirelab-grpc-${tag}-${markedUnique(context)}@example.com`;
  try {
    const created = await grpcCall(context, {
      path: `${SERVICE}/CreateUser`,
      messages: [toBinary(CreateUserRequestSchema, create(CreateUserRequestSchema, { name: 'Wirelab gRPC check', email }))],
    });
    const user = created.status === STATUS.OK && created.messages[0] ? fromBinary(CreateUserResponseSchema, created.messages[0]).user : undefined;
    return { email, created, userId: user?.id ?? null };
  } catch (error) {
    return { email, created: null, userId: null, error: (error as Error).message };
  }
}

export async function deleteThroughGrpc(context: SuiteContext, state: GrpcState): Promise<void> {
  if (state.userId === null) return;
  await grpcCall(context, {
    path: `${SERVICE}/DeleteUser`,
    messages: [toBinary(DeleteUserRequestSchema, create(DeleteUserRequestSchema, { id: state.userId }))],
  }).catch(() => undefined);
}
