import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants as zlibConstants, gzip } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { buildLessonIndex, buildLessonSummaries, readLessonFolders } from './web/lessons/lesson-files.ts';
import { buildExerciseTitles } from './web/lessons/exercise-titles.ts';
import { buildSearchSections } from './web/search/search-documents.ts';
import { renderLesson } from './web/lessons/render-lesson.ts';
import { newBuildFolder, publishBuild } from './server/web-app/published-build.ts';
import { lessonSlug } from './web/lessons/lesson-slug.ts';
import { linkLessonTerms } from './web/glossary/link-terms.ts';
import { typesetRussian } from './web/lessons/typography-ru.ts';
import { expandSources, sourceDirectives } from './web/lessons/source-excerpt.ts';
import { cellsOf, splitLessonBlocks } from './web/lessons/lesson-split.ts';
import { expandFigures } from './web/lessons/lesson-figures.ts';
import { codeFigures } from './lessons/code-figures.ts';

const LESSONS_ROOT = join(import.meta.dirname, 'lessons');
const SERVER = 'http://localhost:8080';
/** What the server serves: a link to the newest finished build (server/web-app/published-build.ts). */
const SERVED = join(import.meta.dirname, 'dist', 'web');

/**
 * `virtual:wirelab-lesson-index`: titles and exercise ids of every lesson, so the app knows every
 * lesson in both languages without loading any lesson's text; `virtual:wirelab-lesson-summaries`:
 * their summaries, apart, because only the lesson list and the course map show them and a lesson
 * page must not carry them (a third of the index's bytes); `virtual:wirelab-exercise-titles`: each
 * exercise's short title in both languages, for the teacher's board only;
 * `virtual:wirelab-search-lessons`: every lesson's sections as plain text, for the search page only
 * (web/search: loaded when a search is made, never with a lesson page).
 */
function lessonIndexPlugin(): Plugin {
  const builders: Record<string, (folders: ReturnType<typeof readLessonFolders>) => unknown> = {
    'virtual:wirelab-lesson-index': buildLessonIndex,
    'virtual:wirelab-lesson-summaries': buildLessonSummaries,
    'virtual:wirelab-exercise-titles': buildExerciseTitles,
    'virtual:wirelab-search-lessons': buildSearchSections,
  };
  return {
    name: 'wirelab-lesson-index',
    resolveId(id) {
      return id in builders ? `\0${id}` : undefined;
    },
    load(id) {
      const build = id.startsWith('\0') ? builders[id.slice(1)] : undefined;
      if (!build) return undefined;
      const folders = readLessonFolders(LESSONS_ROOT, codeFigures());
      for (const lesson of folders) {
        for (const name of ['lesson.json', 'en.md', 'ru.md']) this.addWatchFile(join(lesson.dir, name));
      }
      return `export default ${JSON.stringify(build(folders))};`;
    },
  };
}

/**
 * `lessons/<lesson>/<lang>.md?lesson-page`: what a lesson page shows first, in one module — its
 * lesson.json, its text rendered at build time (its `{{figures}}` from the code, lessons/code-figures.ts;
 * the `::source` excerpts cut from the repository's
 * files, Russian typography (web/lessons/typography-ru.ts), then renderLesson, as the format check
 * does, and its glossary terms linked to their definitions: web/glossary/link-terms.ts) down to a
 * screen past its first cell, and those cells' starting texts; `?lesson-more`, which that module
 * imports when the page asks for it, the rest of the text and its cells
 * (web/lessons/lesson-split.ts). The page fetches no markdown parser and makes two requests for
 * the lesson, not one per cell.
 */
function lessonPagePlugin(): Plugin {
  return {
    name: 'wirelab-lesson-page',
    enforce: 'pre',
    async load(id) {
      const [file, query] = id.split('?');
      // the quiz reads a lesson's raw text (its interview questions): with its figures put in too
      if (query === 'raw' && file.endsWith('.md') && file.startsWith(LESSONS_ROOT)) {
        this.addWatchFile(file);
        return `export default ${JSON.stringify(expandFigures(await readFile(file, 'utf8'), codeFigures()).markdown)};`;
      }
      if ((query !== 'lesson-page' && query !== 'lesson-more') || !file.endsWith('.md')) return undefined;
      const folder = dirname(file);
      const jsonFile = join(folder, 'lesson.json');
      for (const watched of [file, jsonFile]) this.addWatchFile(watched);
      const json = JSON.parse(await readFile(jsonFile, 'utf8')) as { cells?: Record<string, { file: string }> };
      const cells: Record<string, string> = {};
      for (const [cellId, cell] of Object.entries(json.cells ?? {})) {
        const cellFile = join(folder, cell.file);
        if (!existsSync(cellFile)) this.error(`lessons/${relative(LESSONS_ROOT, folder)}/${cell.file} is missing`);
        this.addWatchFile(cellFile);
        cells[cellId] = await readFile(cellFile, 'utf8');
      }
      const lang = file.endsWith('/ru.md') ? 'ru' : 'en';
      // figures about the code come from the code (web/lessons/lesson-figures.ts); an unknown name
      // is a lesson-format error (lessons/code-figures.test.ts), here it stays as written
      const written = expandFigures(await readFile(file, 'utf8'), codeFigures()).markdown;
      // Russian typography (no-break spaces, numbers, «байт») is the build's job, not the author's
      const raw = lang === 'ru' ? typesetRussian(written) : written;
      const sources = new Map<string, string | undefined>();
      for (const { path } of sourceDirectives(raw)) {
        const source = join(import.meta.dirname, path);
        this.addWatchFile(source);
        // a missing file is a lesson-format error (lesson-format.ts); here it just shows nothing
        sources.set(path, existsSync(source) ? await readFile(source, 'utf8') : undefined);
      }
      const { markdown } = expandSources(raw, (path) => sources.get(path));
      const rendered = linkLessonTerms(renderLesson(markdown), lang, lessonSlug(relative(LESSONS_ROOT, folder)));
      const { head, rest } = splitLessonBlocks(rendered.blocks);
      if (query === 'lesson-more') return `export default ${JSON.stringify({ blocks: rest, cells: cellsOf(rest, cells) })};`;
      const page = JSON.stringify({ json, rendered: { ...rendered, blocks: head }, cells: cellsOf(head, cells) });
      const more = rest.length > 0 ? `() => import(${JSON.stringify(`./${basename(file)}?lesson-more`)})` : 'null';
      return `export default { ...${page}, more: ${more} };`;
    },
  };
}

const THEME_BOOT = join(import.meta.dirname, 'web', 'app', 'theme', 'theme-boot.js');

/**
 * web/app/theme/theme-boot.js first in the page's head, as a classic (blocking) script: the chosen
 * light or dark theme is set before the first paint, so a dark page never flashes light. The CSP
 * allows no inline script, so it is a file: in a build a hashed file of assets/ (cached for good,
 * copied as it is), in `npm run dev` served from web/app/theme.
 */
function themeBootPlugin(): Plugin {
  let building = false;
  return {
    name: 'wirelab-theme-boot',
    configResolved(config) {
      building = config.command === 'build';
    },
    async buildStart() {
      if (!building) return;
      this.addWatchFile(THEME_BOOT);
      // its comments and indentation are for this repository's readers, not for every page's first bytes
      const source = (await readFile(THEME_BOOT, 'utf8')).replace(/^\s*\/\/.*\n/gm, '').replace(/\n\s*/g, '');
      this.emitFile({ type: 'asset', name: 'theme-boot.js', source });
    },
    transformIndexHtml: {
      order: 'post',
      handler(_html, context) {
        const built = context.bundle && Object.values(context.bundle).find((file) => file.type === 'asset' && file.names.includes('theme-boot.js'));
        if (context.bundle && !built) throw new Error('theme-boot.js was not emitted');
        return [{ tag: 'script', attrs: { src: built ? `/${built.fileName}` : '/app/theme/theme-boot.js' }, injectTo: 'head' }];
      },
    },
  };
}

/** What is worth compressing: text formats (images and woff2 fonts are compressed already). */
const COMPRESSIBLE = /\.(?:js|mjs|css|html|json|svg|txt|map|wasm|ttf)$/;
const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/**
 * Writes `<file>.br` and `<file>.gz` beside every compressible built file, so the server sends
 * them as they are (`@fastify/static`'s preCompressed) without compressing on each request:
 * on a classroom LAN forty students load the same 3 MB Monaco chunk at once.
 * A variant is kept only when it is smaller than the file.
 */
function precompressPlugin(then: (outDir: string) => void): Plugin {
  let outDir = '';
  return {
    name: 'wirelab-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = config.build.outDir.startsWith('/') ? config.build.outDir : join(config.root, config.build.outDir);
    },
    async closeBundle() {
      const entries = await readdir(outDir, { recursive: true, withFileTypes: true });
      const files = entries.filter((e) => e.isFile() && COMPRESSIBLE.test(e.name)).map((e) => join(e.parentPath, e.name));
      let written = 0;
      await forEachAtOnce(files, availableParallelism(), async (file) => {
        const original = await readFile(file);
        if (original.length < 512) return;
        const [br, gz] = await Promise.all([
          brotli(original, {
            params: {
              [zlibConstants.BROTLI_PARAM_QUALITY]: zlibConstants.BROTLI_MAX_QUALITY,
              [zlibConstants.BROTLI_PARAM_SIZE_HINT]: original.length,
            },
          }),
          gzipAsync(original, { level: 9 }),
        ]);
        if (br.length < original.length) await writeFile(`${file}.br`, br);
        if (gz.length < original.length) await writeFile(`${file}.gz`, gz);
        written++;
      });
      this.info?.(`precompressed ${written} files (br, gz) in ${relative(process.cwd(), outDir) || '.'}`);
      then(outDir);
    },
  };
}

/**
 * `work` on every item, `atOnce` items at a time. The files are compressed a core's worth at once:
 * one at a time, each file's brotli and gzip side by side, the build kept the 2-core development
 * machine little more than half busy (116 % of one core over 22 s), and CI's tests wait for it.
 */
async function forEachAtOnce<T>(items: readonly T[], atOnce: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) await work(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(atOnce, items.length)) }, lane));
}

const FIRST_EDITOR_SETUP = join(import.meta.dirname, 'web', 'editors', 'http', 'monaco-setup.ts');
const LEAN_MONACO = join(import.meta.dirname, 'web', 'editors', 'lean-monaco');

/**
 * Which of Monaco's parts a module of the first editor's chunk goes to, or null for a module that
 * is not Monaco's or not on the first editor's way. Monaco's bare editor is 2.9 MB of script, and
 * Chromium parses a script on one background thread as it streams in: in one chunk that parse is
 * the longest stretch between the lesson's text and its first editor (bench/lesson-page-trace.ts).
 * In two chunks, requested together (Vite preloads a dynamic import's chunks at once), two threads
 * parse them side by side. The split follows Monaco's layers, so one part imports only the other:
 * base and platform (and nls), 42 % of the bytes; the editor (editor/, and the few contributions
 * monaco-setup.ts takes). Two, not three (the model apart from the view): every part's file name
 * is listed in the cell registry, which is on the way to the lesson's first cell.
 */
function monacoPartOf(id: string): string | null {
  // the stand-ins of lean-monaco (leanMonacoPlugin) go with the editor's modules that import them:
  // in another chunk, that one would import it back, and run first
  if (id.startsWith(`${LEAN_MONACO}/`)) return 'monaco-editor';
  const at = id.indexOf('/node_modules/monaco-editor/esm/vs/');
  // its style sheets stay one file with monaco-setup's chunk (one more file name otherwise)
  if (at < 0 || id.includes('?') || id.endsWith('.css')) return null;
  const path = id.slice(at + '/node_modules/monaco-editor/esm/vs/'.length);
  // base and platform import nothing of editor/: no cycle between the parts
  return path.startsWith('editor/') ? 'monaco-editor' : 'monaco-base';
}

/**
 * The code-splitting group that cuts the first editor's Monaco (what web/editors/http/monaco-setup.ts
 * imports statically) into its parts (monacoPartOf). Only those modules: the suggestion list, the
 * hover and the languages stay in the chunks that load them later.
 */
function firstEditorMonacoGroup() {
  let firstEditorModules: Set<string> | null = null;
  return {
    // the parts take Monaco's modules only: what else they use (Vite's preload helper, which the
    // app's entry chunk holds) stays where it was, or the entry would import it from a part
    includeDependenciesRecursively: false,
    name(id: string, context: { getModuleInfo(id: string): { importedIds: readonly string[] } | null }): string | null {
      if (!firstEditorModules) {
        firstEditorModules = new Set();
        const pending = [FIRST_EDITOR_SETUP];
        while (pending.length > 0) {
          const next = pending.pop()!;
          if (firstEditorModules.has(next)) continue;
          firstEditorModules.add(next);
          pending.push(...(context.getModuleInfo(next)?.importedIds ?? []));
        }
      }
      return firstEditorModules.has(id) ? monacoPartOf(id) : null;
    },
  };
}

const MONACO_VS = '/node_modules/monaco-editor/esm/vs/';

/**
 * Modules of Monaco that no cell uses, replaced where the first editor's Monaco imports them
 * (an importer and the end of what it imports: any other importer still gets the real module).
 */
const MONACO_STUBS = [
  // monaco.editor.createDiffEditor and createMultiFileDiffEditor: no cell makes a diff editor
  { importer: 'editor/standalone/browser/standaloneCodeEditor.js', imported: '/diffEditor/diffEditorWidget.js', stub: 'diff-editor-widget.ts' },
  { importer: 'editor/standalone/browser/standaloneEditor.js', imported: '/multiDiffEditor/multiDiffEditorWidget.js', stub: 'multi-diff-editor-widget.ts' },
];

/** A rewrite of one of Monaco's files: `from` becomes `to`, found `count` times, or the build fails. */
interface MonacoRewrite {
  file: string;
  from: string;
  to: string;
  count: number;
}

/**
 * Custom properties Monaco sets on `:root`, moved to where they are read. A rule for `:root`
 * restyles every element of the page (they all inherit its properties): the icon style sheet's
 * two properties per icon (about 1 000) and the editor theme's squiggles, both in the style sheet
 * the first editor starts with, recalculated the whole REST lesson (964 elements, 15 ms on this
 * machine as an experiment, at the first editor's creation); the sash's in Monaco's style sheet
 * did the same as it arrived. Each is read only under an editor (the inline progress widget,
 * the ghost text) or by the element itself (`.monaco-sash`).
 */
const ROOT_PROPERTIES_SCOPED: MonacoRewrite[] = [
  {
    file: 'platform/theme/browser/iconsStyleSheet.js',
    from: 'rules.push(inline `:root { ',
    to: 'rules.push(inline `.monaco-editor, .monaco-diff-editor, .monaco-component { ',
    count: 1,
  },
  {
    file: 'editor/browser/widget/codeEditor/codeEditorWidget.js',
    from: 'collector.addRule(`:root { --monaco-editor-',
    to: 'collector.addRule(`.monaco-editor { --monaco-editor-',
    count: 5,
  },
  { file: 'base/browser/ui/sash/sash.css', from: ':root {', to: '.monaco-sash {', count: 1 },
];

const THEME_SERVICE = 'editor/standalone/browser/standaloneThemeService.js';

/**
 * The theme's CSS built once, for the theme the page sets (monaco-setup.ts: wirelab-light or
 * -dark), not first for `vs` as the theme service is made and again for ours a moment later:
 * every theming participant and every registered colour, in the first editor's task. The service
 * starts on `vs` with its CSS pending; the first theme set (any, `vs` too), or the first editor
 * made before one was set, builds it. A forced-colours (high contrast) system switches the theme
 * in the constructor as before, which builds it at once.
 */
const THEME_CSS_ONCE: MonacoRewrite[] = [
  {
    file: THEME_SERVICE,
    from: '        this.setTheme(VS_LIGHT_THEME_NAME);\n',
    to: '        this._theme = this._knownThemes.get(VS_LIGHT_THEME_NAME);\n        this._themePending = true;\n',
    count: 1,
  },
  {
    file: THEME_SERVICE,
    from: 'if (!desiredTheme || this._theme === desiredTheme) {',
    to: 'if (!desiredTheme || (this._theme === desiredTheme && !this._themePending)) {',
    count: 1,
  },
  {
    file: THEME_SERVICE,
    from: "        this._themeCSS = cssRules.join('\\n');",
    to: "        this._themePending = false;\n        this._themeCSS = cssRules.join('\\n');",
    count: 1,
  },
  {
    file: THEME_SERVICE,
    from: '    _registerRegularEditorContainer() {\n',
    to: '    _registerRegularEditorContainer() {\n        if (this._themePending) this._updateThemeOrColorMap();\n',
    count: 1,
  },
];

const MONACO_REWRITES = [...ROOT_PROPERTIES_SCOPED, ...THEME_CSS_ONCE];

/**
 * The first editor's Monaco without what no lesson cell uses (web/editors/lean-monaco/README.md):
 * the stubs of MONACO_STUBS and the rewrites of MONACO_REWRITES. A build fails when a Monaco
 * upgrade moved what these look for, rather than silently taking it all back.
 */
function leanMonacoPlugin(): Plugin {
  const stubbed = new Set<string>();
  const rewrittenFiles = new Set<string>();
  let building = false;
  return {
    name: 'wirelab-lean-monaco',
    enforce: 'pre',
    configResolved(config) {
      building = config.command === 'build';
    },
    resolveId(source, importer) {
      const at = importer?.indexOf(MONACO_VS) ?? -1;
      if (at < 0) return undefined;
      const from = importer!.slice(at + MONACO_VS.length);
      const rule = MONACO_STUBS.find((stub) => stub.importer === from && source.endsWith(stub.imported));
      if (!rule) return undefined;
      stubbed.add(rule.stub);
      return join(LEAN_MONACO, rule.stub);
    },
    transform(code, id) {
      const rules = MONACO_REWRITES.filter((rule) => id.endsWith(`${MONACO_VS}${rule.file}`));
      if (rules.length === 0) return undefined;
      let rewritten = code;
      for (const rule of rules) {
        if (rewritten.split(rule.from).length !== rule.count + 1) this.error(`${rule.file} no longer has ${JSON.stringify(rule.from)} ${rule.count} times`);
        rewritten = rewritten.replaceAll(rule.from, rule.to);
        rewrittenFiles.add(rule.file);
      }
      return { code: rewritten, map: null };
    },
    buildEnd(error) {
      if (!building || error) return;
      const unused = MONACO_STUBS.filter((stub) => !stubbed.has(stub.stub));
      if (unused.length > 0) this.error(`Monaco no longer imports what these stand in for: ${unused.map((stub) => stub.stub).join(', ')}`);
      const missing = MONACO_REWRITES.filter((rule) => !rewrittenFiles.has(rule.file));
      if (missing.length > 0) this.error(`not in the build: ${[...new Set(missing.map((rule) => rule.file))].join(', ')}`);
    },
  };
}

/** Points dist/web at the finished build, and says so. */
function publishWhenBuilt(outDir: string): void {
  publishBuild(outDir, SERVED);
  console.log(`dist/web → ${relative(join(import.meta.dirname, 'dist'), outDir)}`);
}

export default defineConfig({
  root: 'web',
  plugins: [react(), lessonIndexPlugin(), lessonPagePlugin(), themeBootPlugin(), precompressPlugin(publishWhenBuilt), leanMonacoPlugin()],
  build: {
    // A folder of its own, published once finished and compressed: a running server never sees
    // dist/web emptied or half written (server/web-app/published-build.ts).
    outDir: newBuildFolder(join(import.meta.dirname, 'dist')),
    emptyOutDir: true,
    // Monaco's chunk is large by nature and loads lazily; the warning would only be noise.
    chunkSizeWarningLimit: 4096,
    // The polyfill only adds preloading to browsers without <link rel="modulepreload"> (they load
    // the same modules without it); it is half a kilobyte on the way to every page's text.
    modulePreload: { polyfill: false },
    rolldownOptions: { output: { codeSplitting: { groups: [firstEditorMonacoGroup()] } } },
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
