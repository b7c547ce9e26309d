import type { Bilingual } from '../../shared/bilingual.ts';

/** Base of every error the domain throws on purpose; protocols map each class to their own status. */
export class DomainError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

export class NotFoundError extends DomainError {
  constructor(
    readonly entity: 'user' | 'post' | 'comment',
    readonly id: number,
  ) {
    super(`${entity} ${id} does not exist`);
  }
}

/** A write would break a uniqueness rule, e.g. a second user with the same email. */
export class ConflictError extends DomainError {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

export interface FieldError {
  /** The input field, as a path: `email`, `metadata/team`, `roles/2`. */
  field: string;
  message: string;
}

export class ValidationError extends DomainError {
  constructor(readonly errors: FieldError[]) {
    super(errors.map((e) => `${e.field}: ${e.message}`).join('; '));
  }
}

/** A pagination cursor that this domain did not issue, or that belongs to another sort order. */
export class InvalidCursorError extends DomainError {}

/**
 * A write to a sandbox whose writes are frozen for now (a teacher demonstrating: see
 * `Domain.setWriteGuard`); reads still work. Protocols answer it as their "locked" refusal.
 */
export class WritesFrozenError extends DomainError {
  constructor(readonly reason: Bilingual) {
    super(reason.en);
  }
}
