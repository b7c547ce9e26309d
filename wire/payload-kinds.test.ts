import { describe, expect, it } from 'vitest';
import { isPackagedRpcPath } from './payload-kinds.ts';
import { methodForPath, schemaRegistry } from './protobuf/schema.ts';

describe('isPackagedRpcPath: when the gRPC/protobuf layer may be needed', () => {
  it('says yes to every method the schema knows (so a Connect unary call always brings the layer)', () => {
    const paths: string[] = [];
    for (const type of schemaRegistry()) {
      if (type.kind !== 'service') continue;
      for (const method of type.methods) paths.push(`/${type.typeName}/${method.name}`);
    }
    expect(paths.length).toBeGreaterThan(5);
    for (const path of paths) {
      expect(methodForPath(path)).toBeDefined();
      expect(isPackagedRpcPath(path)).toBe(true);
    }
  });

  it("says no to the REST API and the app's own paths (a REST lesson never downloads the layer)", () => {
    for (const path of ['/api/v1/users', '/api/users/1', '/_wirelab/session', '/v1/users', '/graphql', '/api/v1/users/1']) {
      expect(isPackagedRpcPath(path)).toBe(false);
    }
  });
});
