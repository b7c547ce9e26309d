/**
 * Writes the text/event-stream format (WHATWG HTML §9.2), which decode-sse.ts reads: the
 * server's event stream (server/protocols/sse/) and the pipeline lab's state stream write it here.
 * The format: `field: value` lines, an empty line ends an
 * event. A value holding line breaks becomes several `data:` lines, which the client joins with
 * "\n" again; `id` and `event` must stay on one line.
 */
export function formatEvent(fields: { id?: number | string; event?: string; data: string; retry?: number }): string {
  let text = '';
  if (fields.id !== undefined) text += `id: ${oneLine(String(fields.id))}\n`;
  if (fields.event !== undefined) text += `event: ${oneLine(fields.event)}\n`;
  if (fields.retry !== undefined) text += `retry: ${Math.max(0, Math.floor(fields.retry))}\n`;
  for (const line of fields.data.split(/\r\n|\r|\n/)) text += `data: ${line}\n`;
  return `${text}\n`;
}

/** A comment: the browser drops it without waking the page; proxies see traffic. */
export function formatComment(text: string): string {
  return text
    .split(/\r\n|\r|\n/)
    .map((line) => `: ${line}\n`)
    .join('')
    .concat('\n');
}

export function formatRetry(ms: number): string {
  return `retry: ${Math.max(0, Math.floor(ms))}\n\n`;
}

function oneLine(value: string): string {
  // A line break here would end the field early and start another, chosen by whoever wrote the value.
  return value.replace(/[\r\n]/g, ' ');
}
