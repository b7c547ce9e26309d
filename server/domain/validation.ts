import { ValidationError, type FieldError } from './errors.ts';
import { USER_ROLES, USER_STATUSES, type CommentCreation, type PostPatch, type PostReplacement, type UserPatch, type UserReplacement } from './types.ts';

// The rules every protocol shares; REST's JSON schemas repeat the simple ones for documentation.
export const USER_RULES = {
  nameMax: 100,
  emailMax: 254,
  email: /^[^\s@]+@[^\s@]+\.[^\s@]+$/,
  metadataMaxEntries: 20,
  metadataKeyMax: 64,
  metadataValueMax: 500,
  /** international format: a plus, a digit, then digits, spaces and dashes (7..20 chars after +) */
  phone: /^\+[1-9][0-9 -]{5,18}[0-9]$/,
} as const;

export const POST_RULES = { titleMax: 200, contentMax: 10_000 } as const;
export const COMMENT_RULES = { contentMax: 2_000 } as const;

type Input = Record<string, unknown>;

class Checker {
  readonly errors: FieldError[] = [];

  fail(field: string, message: string): void {
    this.errors.push({ field, message });
  }

  done(): void {
    if (this.errors.length > 0) throw new ValidationError(this.errors);
  }

  required(input: Input, field: string): boolean {
    if (input[field] === undefined) {
      this.fail(field, 'is required');
      return false;
    }
    return true;
  }

  text(value: unknown, field: string, max: number): void {
    if (typeof value !== 'string') {
      this.fail(field, 'must be a string');
      return;
    }
    if (value.trim().length === 0) {
      this.fail(field, 'must not be empty');
      return;
    }
    if (value.length > max) this.fail(field, `must be at most ${max} characters`);
  }

  positiveInteger(value: unknown, field: string): void {
    if (!Number.isSafeInteger(value) || (value as number) < 1) this.fail(field, 'must be a positive integer');
  }
}

function checkObject(input: unknown): asserts input is Input {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new ValidationError([{ field: '', message: 'must be a JSON object' }]);
  }
}

function checkUserFields(c: Checker, input: Input, allowNullMetadataValues: boolean): void {
  if (input.name !== undefined) c.text(input.name, 'name', USER_RULES.nameMax);
  if (input.email !== undefined) {
    if (typeof input.email !== 'string') c.fail('email', 'must be a string');
    else if (input.email.length > USER_RULES.emailMax || !USER_RULES.email.test(input.email)) {
      c.fail('email', 'must be an email address like name@example.com');
    }
  }
  if (input.status !== undefined && !USER_STATUSES.includes(input.status as never)) {
    c.fail('status', `must be one of ${USER_STATUSES.join(', ')}`);
  }
  if (input.roles !== undefined) {
    if (!Array.isArray(input.roles)) c.fail('roles', 'must be an array');
    else {
      input.roles.forEach((role, i) => {
        if (!USER_ROLES.includes(role as never)) c.fail(`roles/${i}`, `must be one of ${USER_ROLES.join(', ')}`);
      });
      if (new Set(input.roles).size !== input.roles.length) c.fail('roles', 'must not repeat a role');
    }
  }
  if (input.metadata !== undefined) {
    const metadata = input.metadata;
    if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) {
      c.fail('metadata', 'must be an object of strings');
    } else {
      const entries = Object.entries(metadata);
      if (entries.length > USER_RULES.metadataMaxEntries) {
        c.fail('metadata', `must have at most ${USER_RULES.metadataMaxEntries} entries`);
      }
      for (const [key, value] of entries) {
        if (key.length === 0 || key.length > USER_RULES.metadataKeyMax) {
          c.fail(`metadata/${key}`, `keys must be 1..${USER_RULES.metadataKeyMax} characters`);
        } else if (value === null && allowNullMetadataValues) {
          continue;
        } else if (typeof value !== 'string') {
          c.fail(`metadata/${key}`, allowNullMetadataValues ? 'must be a string, or null to remove it' : 'must be a string');
        } else if (value.length > USER_RULES.metadataValueMax) {
          c.fail(`metadata/${key}`, `must be at most ${USER_RULES.metadataValueMax} characters`);
        }
      }
    }
  }
  if (input.phone !== undefined && input.phone !== null) {
    if (typeof input.phone !== 'string' || !USER_RULES.phone.test(input.phone)) {
      c.fail('phone', 'must be an international number like +44 20 7946 0001, or null');
    }
  }
}

export function validateUserCreation(input: unknown): asserts input is UserReplacement {
  checkObject(input);
  const c = new Checker();
  c.required(input, 'name');
  c.required(input, 'email');
  checkUserFields(c, input, false);
  c.done();
}

export function validateUserReplacement(input: unknown): asserts input is UserReplacement {
  checkObject(input);
  const c = new Checker();
  for (const field of ['name', 'email', 'status', 'roles', 'metadata', 'phone']) c.required(input, field);
  checkUserFields(c, input, false);
  c.done();
}

export function validateUserPatch(input: unknown): asserts input is UserPatch {
  checkObject(input);
  const c = new Checker();
  // In a merge patch null means "remove": only the optional phone can go.
  for (const field of ['name', 'email', 'status', 'roles', 'metadata']) {
    if (input[field] === null) c.fail(field, 'cannot be removed');
  }
  const present = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== null));
  checkUserFields(c, { ...present, phone: input.phone }, true);
  c.done();
}

function checkPostFields(c: Checker, input: Input): void {
  if (input.author_id !== undefined) c.positiveInteger(input.author_id, 'author_id');
  if (input.title !== undefined) c.text(input.title, 'title', POST_RULES.titleMax);
  if (input.content !== undefined) c.text(input.content, 'content', POST_RULES.contentMax);
}

export function validatePostReplacement(input: unknown): asserts input is PostReplacement {
  checkObject(input);
  const c = new Checker();
  for (const field of ['author_id', 'title', 'content']) c.required(input, field);
  checkPostFields(c, input);
  c.done();
}

export function validatePostPatch(input: unknown): asserts input is PostPatch {
  checkObject(input);
  const c = new Checker();
  for (const field of ['author_id', 'title', 'content']) {
    if (input[field] === null) c.fail(field, 'cannot be removed');
  }
  checkPostFields(c, Object.fromEntries(Object.entries(input).filter(([, v]) => v !== null)));
  c.done();
}

export function validateCommentCreation(input: unknown): asserts input is CommentCreation {
  checkObject(input);
  const c = new Checker();
  if (c.required(input, 'author_id')) c.positiveInteger(input.author_id, 'author_id');
  if (c.required(input, 'content')) c.text(input.content, 'content', COMMENT_RULES.contentMax);
  c.done();
}
