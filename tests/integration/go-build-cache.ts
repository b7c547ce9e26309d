import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The one Go build cache of every Go program the tests build (the starters, the "As code"
 * programs): grpc-go and protobuf-go compile once for all of them. `.ci/run` fills it in the
 * background while npm installs (WIRELAB_GOCACHE), so no test file waits on that compile.
 */
export const GO_BUILD_CACHE = process.env.WIRELAB_GOCACHE ?? join(tmpdir(), 'wirelab-gocache');
