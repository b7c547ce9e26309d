import { describe, expect, it } from 'vitest';
import { renderLesson } from './render-lesson.ts';

const source = `# REST by hand

> Send **real** requests.

Intro text.

## Status codes {#status-codes}

::cell create-user

:::note
A *note*.
:::

:::exercise get-201
Create a user.
::hint
Use POST.
::hint
Send JSON.
:::

### Tables {#tables}

| a | b |
|---|---|
| 1 | 2 |
`;

describe('renderLesson', () => {
  const lesson = renderLesson(source);

  it('reads the title and the summary', () => {
    expect(lesson.title).toBe('REST by hand');
    expect(lesson.summaryHtml).toBe('Send <strong>real</strong> requests.');
  });

  it('places cells, callouts and exercises between html blocks', () => {
    expect(lesson.blocks.map((block) => block.type)).toEqual(['html', 'cell', 'callout', 'exercise', 'html']);
    expect(lesson.blocks[1]).toEqual({ type: 'cell', id: 'create-user' });
    expect(lesson.blocks[2]).toEqual({ type: 'callout', kind: 'note', html: '<p>A <em>note</em>.</p>\n' });
    expect(lesson.blocks[3]).toMatchObject({ id: 'get-201', promptHtml: '<p>Create a user.</p>\n', hintsHtml: ['<p>Use POST.</p>\n', '<p>Send JSON.</p>\n'] });
  });

  it('turns {#id} into heading anchors and a table of contents', () => {
    const html = lesson.blocks[0].type === 'html' ? lesson.blocks[0].html : '';
    expect(html).toContain('<h2 id="status-codes" tabindex="-1">Status codes<a class="heading-anchor" href="#status-codes"');
    expect(html).not.toContain('{#');
    expect(lesson.toc).toEqual([
      { id: 'status-codes', text: 'Status codes', depth: 2 },
      { id: 'tables', text: 'Tables', depth: 3 },
    ]);
  });

  it('wraps tables so they scroll on their own, in a box the keyboard can focus to scroll it', () => {
    const html = lesson.blocks[4].type === 'html' ? lesson.blocks[4].html : '';
    expect(html).toMatch(/^<h3[\s\S]*<div class="table-scroll" tabindex="0"><table>[\s\S]*<\/table><\/div>/);
    expect(renderLesson('# T\n\n```sh\ncurl -v http://localhost:8080/\n```\n').blocks.find((block) => block.type === 'html')).toMatchObject({
      html: expect.stringContaining('<pre tabindex="0"><code'),
    });
  });

  it('reports problems instead of guessing', () => {
    expect(renderLesson('no title\n\n:::note\nx').problems.map((problem) => problem.message)).toEqual([
      'the first line must be the title: "# Title"',
      'a "> " summary paragraph must follow the title',
      'the ::: block opened here is never closed',
    ]);
  });
});
