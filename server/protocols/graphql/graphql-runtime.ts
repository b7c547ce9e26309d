import { createRequire } from 'node:module';

/**
 * The one copy of graphql-js this server uses at runtime: the CommonJS build that mercurius
 * require()s. A resolver that prefers the package's "module" field (vitest's does) would hand an
 * ESM import the .mjs build instead: a second copy, whose schema objects and errors the first
 * copy refuses ("Cannot use GraphQLSchema from another module or realm"). Types may still be
 * imported from 'graphql' with `import type`.
 */
export const graphql = createRequire(import.meta.url)('graphql') as typeof import('graphql');
