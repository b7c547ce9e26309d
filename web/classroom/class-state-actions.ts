/** What the teacher can set of a class's state (the server answers with a new board, or an error). */
export interface ClassStateActions {
  end(): void;
  reopen(): void;
  notice(text: string | null): void;
  timer(minutes: number | null): void;
  resetData(): void;
  assign(lesson: string | null, exercise: string | null): void;
  freeze(on: boolean): void;
}
