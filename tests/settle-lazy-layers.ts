import { afterAll } from 'vitest';
import { layersSettled } from '../wire/lazy-layer.ts';

// The unit files share their worker and its modules (vitest.config.ts, `isolate: false`). A file
// whose capture store decodes a connection starts a decoder layer's download, a dynamic import.
// In run 36 (29 Nov) `report-view.test.ts` ended with one still on its way; it failed "after the
// environment was torn down", and the failure stayed in the worker's module cache: 13 later files
// of that worker that imported the decoder failed at import, and `inspector-render.test.ts` found
// the layer failed (4 tests). No file ends while a layer is on its way.
afterAll(() => layersSettled());
