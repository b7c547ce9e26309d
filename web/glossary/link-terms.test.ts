import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderLesson } from '../lessons/render-lesson.ts';
import { GLOSSARY, type GlossaryTerm } from './glossary-terms.ts';
import { linkLessonTerms, linkTermsInHtml } from './link-terms.ts';

const term = (id: string): GlossaryTerm => GLOSSARY.find((entry) => entry.id === id)!;
const link = (html: string, lang: 'en' | 'ru', ids: string[], linked = new Set<string>()) => linkTermsInHtml(html, lang, ids.map(term), linked);

describe('glossary terms in a lesson’s text', () => {
  it('links the first use of a term, in any Russian form of its words, to the glossary of the page’s language', () => {
    expect(link('<p>Сервер шлёт кадры, и каждый кадр несёт opcode.</p>', 'ru', ['frame', 'opcode'])).toBe(
      '<p>Сервер шлёт <a href="/ru/glossary#frame">кадры</a>, и каждый кадр несёт <a href="/ru/glossary#opcode">opcode</a>.</p>',
    );
    expect(link('<p>Откройте TCP-соединения и посмотрите на Трёхэтапного рукопожатия шаги.</p>', 'ru', ['tcp-connection', 'three-way-handshake'])).toBe(
      '<p>Откройте <a href="/ru/glossary#tcp-connection">TCP-соединения</a> и посмотрите на <a href="/ru/glossary#three-way-handshake">Трёхэтапного рукопожатия</a> шаги.</p>',
    );
    expect(link('<p>Frames carry a payload.</p>', 'en', ['frame', 'payload'])).toBe(
      '<p><a href="/en/glossary#frame">Frames</a> carry a <a href="/en/glossary#payload">payload</a>.</p>',
    );
  });

  it('never links inside code, a heading or a link, and takes the first use outside them', () => {
    const html =
      '<h2 id="frames">Frames</h2><p>The <code>frame</code> type, <a href="/x">a frame</a>, then a <strong>frame</strong> here.</p><pre><code>frame</code></pre>';
    const out = link(html, 'en', ['frame']);
    expect(out).toBe(
      '<h2 id="frames">Frames</h2><p>The <code>frame</code> type, <a href="/x">a frame</a>, then a <strong><a href="/en/glossary#frame">frame</a></strong> here.</p><pre><code>frame</code></pre>',
    );
    expect(out.match(/glossary#/g)).toHaveLength(1);
  });

  it('links each term once however many blocks use it, and not a word that merely starts like it or a part of a compound name', () => {
    const linked = new Set<string>();
    expect(link('<p>A framework and Content-Encoding, then a frame.</p>', 'en', ['frame', 'serialization'], linked)).toBe(
      '<p>A framework and Content-Encoding, then a <a href="/en/glossary#frame">frame</a>.</p>',
    );
    expect(link('<p>Another frame; its serialization.</p>', 'en', ['frame', 'serialization'], linked)).toBe(
      '<p>Another frame; its <a href="/en/glossary#serialization">serialization</a>.</p>',
    );
  });

  it('links by another name only where it cannot be a common word for something else, and never a verb of a noun’s stem', () => {
    // "fragment" is a GraphQL fragment too, "encoding" any encoding, «соединение» any connection
    expect(link('<p>A fragment, an encoding, a connection.</p>', 'en', ['fragmentation', 'serialization', 'tcp-connection'])).toBe(
      '<p>A fragment, an encoding, a connection.</p>',
    );
    expect(link('<p>Одно соединение.</p>', 'ru', ['tcp-connection'])).toBe('<p>Одно соединение.</p>');
    // several words, a capital, or a form of the term's own word
    expect(link('<p>That is RPC, with the N+1 problem; пришли заголовки.</p>', 'en', ['call', 'n-plus-one'])).toBe(
      '<p>That is <a href="/en/glossary#call">RPC</a>, with the <a href="/en/glossary#n-plus-one">N+1 problem</a>; пришли заголовки.</p>',
    );
    expect(link('<p>Пришли заголовки.</p>', 'ru', ['header'])).toBe('<p>Пришли <a href="/ru/glossary#header">заголовки</a>.</p>');
    // «запросить» has the stem of «запрос», «повторит» that of «повтор»: verbs, not the terms
    expect(link('<p>Можно запросить поле, клиент повторит попытку, а запросы идут.</p>', 'ru', ['request', 'retry'])).toBe(
      '<p>Можно запросить поле, клиент повторит попытку, а <a href="/ru/glossary#request">запросы</a> идут.</p>',
    );
  });

  it('prefers the longer name where two start at one place', () => {
    expect(link('<p>A TCP connection and a connection.</p>', 'en', ['tcp-connection'])).toBe(
      '<p>A <a href="/en/glossary#tcp-connection">TCP connection</a> and a connection.</p>',
    );
  });

  it('links in a real lesson only the terms the glossary lists for it, each once, in both languages', () => {
    const folder = join(import.meta.dirname, '..', '..', 'lessons', '06-websockets');
    for (const lang of ['en', 'ru'] as const) {
      const rendered = linkLessonTerms(renderLesson(readFileSync(join(folder, `${lang}.md`), 'utf8')), lang, 'websockets');
      const html = rendered.blocks
        .map((block) => (block.type === 'html' || block.type === 'callout' ? block.html : block.type === 'exercise' ? block.promptHtml : ''))
        .join('');
      const ids = [...html.matchAll(new RegExp(`href="/${lang}/glossary#([\\w-]+)"`, 'g'))].map((match) => match[1]);
      expect(ids.length).toBeGreaterThan(5);
      expect(new Set(ids).size).toBe(ids.length);
      for (const id of ids) expect(term(id).lessons).toContain('websockets');
      expect(ids).toContain('opcode');
      // nothing linked inside code or a heading
      expect(html).not.toMatch(/<code>[^<]*<a href="\/\w\w\/glossary/);
      expect(html).not.toMatch(/<h[1-6][^>]*>[^<]*<a href="\/\w\w\/glossary/);
    }
    // stemming every word of a whole lesson twice: ~4 s alone, more beside other test files on two cores
  }, 30_000);
});
