import { join } from 'node:path';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { buildLessonIndex, readLessonFolders } from './web/lessons/lesson-files.ts';

const LESSONS_ROOT = join(import.meta.dirname, 'lessons');
const SERVER = 'http://localhost:8080';

/**
 * `virtual:wirelab-lesson-index`: titles, summaries and exercise ids of every lesson, so the
 * lesson list shows both languages without loading any lesson's text.
 */
function lessonIndexPlugin(): Plugin {
  const publicId = 'virtual:wirelab-lesson-index';
  const resolvedId = `\0${publicId}`;
  return {
    name: 'wirelab-lesson-index',
    resolveId(id) {
      return id === publicId ? resolvedId : undefined;
    },
    load(id) {
      if (id !== resolvedId) return undefined;
      const folders = readLessonFolders(LESSONS_ROOT);
      for (const lesson of folders) {
        for (const name of ['lesson.json', 'en.md', 'ru.md']) this.addWatchFile(join(lesson.dir, name));
      }
      return `export default ${JSON.stringify(buildLessonIndex(folders))};`;
    },
  };
}

export default defineConfig({
  root: 'web',
  plugins: [react(), lessonIndexPlugin()],
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    // Monaco's chunk is large by nature and loads lazily; the warning would only be noise.
    chunkSizeWarningLimit: 4096,
  },
  server: {
    proxy: {
      // `npm run dev` serves the app from Vite; every protocol still lives on the one server port.
      '/api': SERVER,
      '/_wirelab': { target: SERVER, ws: true },
      '/socket.io': { target: SERVER, ws: true },
      '/ws/': { target: SERVER, ws: true },
      '/graphql': { target: SERVER, ws: true },
      '/v1/': SERVER,
      // gRPC-Web and Connect calls: /<package>.<Service>/<Method>
      '^/(wirelab|grpc)\\.[\\w.]+/\\w+': SERVER,
    },
  },
});
