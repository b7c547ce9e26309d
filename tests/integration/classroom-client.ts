import WebSocket from 'ws';

const json = { 'content-type': 'application/json' };

/** A JSON POST (the classroom's HTTP side). */
export async function post(origin: string, path: string, body: unknown, headers: Record<string, string> = json): Promise<Response> {
  return fetch(`${origin}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
}

/** A class channel client; messages as they come. */
export function openChannel(
  origin: string,
  headers: Record<string, string> = {},
): Promise<{ socket: WebSocket; messages: Array<Record<string, unknown>>; binary: Buffer[]; next(type: string): Promise<Record<string, unknown>> }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${origin.replace('http', 'ws')}/_wirelab/class/channel`, { headers });
    const messages: Array<Record<string, unknown>> = [];
    const binaryFrames: Buffer[] = [];
    const waiting: Array<{ type: string; resolve(message: Record<string, unknown>): void }> = [];
    socket.on('message', (raw, binary) => {
      if (binary) {
        binaryFrames.push(raw as Buffer);
        return;
      }
      const message = JSON.parse(String(raw)) as Record<string, unknown>;
      messages.push(message);
      for (const waiter of waiting.filter((w) => w.type === message.type)) {
        waiting.splice(waiting.indexOf(waiter), 1);
        waiter.resolve(message);
      }
    });
    socket.on('open', () =>
      resolve({
        socket,
        messages,
        binary: binaryFrames,
        next: (type) => new Promise((done) => waiting.push({ type, resolve: done })),
      }),
    );
    socket.on('unexpected-response', (_request, response) => reject(Object.assign(new Error(`HTTP ${response.statusCode}`), { status: response.statusCode })));
    socket.on('error', reject);
  });
}
