// Shared by the server (board.ts, the class channel) and the teacher's page (web/classroom).

export interface BoardResult {
  lesson: string;
  exercise: string;
  attempts: number;
  passedMs: number | null;
  lastMs: number;
}

export interface BoardMember {
  id: number;
  name: string;
  /** the teacher reads it out to a student who forgot it (README.md, "Claiming a name") */
  rejoinCode: string;
  joinedMs: number;
  lastActiveMs: number;
  /** has a class channel open now */
  online: boolean;
  following: boolean;
  results: BoardResult[];
}

export interface Board {
  code: string;
  title: string;
  /** the server's clock when the board was made: idle times count from it */
  now: number;
  members: BoardMember[];
}

export interface ClassSummary {
  code: string;
  title: string;
  createdMs: number;
  members: number;
}

/** Error codes the classroom's server answers with (the page shows its own text for each). */
export type ClassServerErrorCode =
  | 'BAD_CODE'
  | 'BAD_NAME'
  | 'BAD_RESULT'
  | 'NO_SUCH_EXERCISE'
  | 'BAD_TITLE'
  | 'NO_SUCH_CLASS'
  | 'NAME_TAKEN'
  | 'NO_SUCH_MEMBER'
  | 'CLASS_FULL'
  | 'TOO_MANY_CLASSES'
  | 'TOO_MANY_RESULTS'
  | 'NOT_A_MEMBER'
  | 'TEACHER_KEY_REQUIRED'
  | 'RATE_LIMITED'
  | 'CROSS_ORIGIN';
