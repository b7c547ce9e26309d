import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { declarationOf, expandSources, sourceDirectives } from './source-excerpt.ts';

const root = join(import.meta.dirname, '..', '..');
const read = (path: string) => {
  try {
    return readFileSync(join(root, path), 'utf8');
  } catch {
    return undefined;
  }
};

describe('::source excerpts', () => {
  it('cuts a message, with its comment, out of a .proto', () => {
    const user = declarationOf(read('proto/wirelab/users/v1/users.proto')!, 'users.proto', 'User')!;
    expect(user).toMatch(/^\/\/.*\nmessage User \{/);
    expect(user).toMatch(/string name = 2;/);
    expect(user.trimEnd().endsWith('}')).toBe(true);
    expect(user).not.toMatch(/message UserStatus|enum Role/);
  });

  it('cuts what protoc-gen-es generated: the type and its schema, with their JSDoc', () => {
    const generated = read('proto/gen/wirelab/users/v1/users_pb.ts')!;
    const type = declarationOf(generated, 'users_pb.ts', 'User')!;
    expect(type).toMatch(
      /^\/\*\*[\s\S]*@generated from message wirelab\.users\.v1\.User[\s\S]*\*\/\nexport type User = Message<"wirelab\.users\.v1\.User"> & \{/,
    );
    expect(type).toMatch(/\n\};$/);
    expect(type).not.toMatch(/UserJson = /);
    const schema = declarationOf(generated, 'users_pb.ts', 'UserSchema')!;
    expect(schema).toMatch(
      /export const UserSchema: GenMessage<User, \{jsonType: UserJson\}> = \/\*@__PURE__\*\/\n\s+messageDesc\(file_wirelab_users_v1_users, \d+\);$/,
    );
    expect(declarationOf(generated, 'users_pb.ts', 'NoSuchThing')).toBeNull();
  });

  it('expands a directive into a fenced block headed by the path, and reports what is missing', () => {
    const markdown =
      'before\n::source proto/gen/wirelab/users/v1/users_pb.ts User UserSchema\nafter\n::source proto/wirelab/users/v1/users.proto Nope\n::source server/app.ts App';
    expect(sourceDirectives(markdown).map((d) => d.names)).toEqual([['User', 'UserSchema'], ['Nope'], ['App']]);
    const { markdown: expanded, problems } = expandSources(markdown, read);
    expect(expanded).toMatch(/^before\n```ts\n\/\/ proto\/gen\/wirelab\/users\/v1\/users_pb\.ts\n\/\*\*/);
    expect(expanded).toContain('export type User = Message');
    expect(expanded).toContain('export const UserSchema');
    expect(problems.map((p) => p.line)).toEqual([4, 5]);
    expect(problems[0].message).toMatch(/declares no Nope/);
    expect(problems[1].message).toMatch(/no file server\/app\.ts/);
  });
});
