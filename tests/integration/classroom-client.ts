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

/** A new browser session: its cookie (`wirelab_session=…`). */
export async function newSessionCookie(origin: string): Promise<string> {
  return (await fetch(`${origin}/_wirelab/session`)).headers.getSetCookie()[0].split(';')[0];
}

/**
 * What passes `rest/create-201` for real: the cell's `POST /api/v1/users` over a real socket with
 * the session's cookie, so the server captures it (the board keeps the server's verdicts only).
 */
export async function createUserAs(origin: string, cookie: string): Promise<void> {
  const created = await fetch(`${origin}/api/v1/users`, {
    method: 'POST',
    headers: { ...json, cookie },
    body: JSON.stringify({ name: 'Ада', email: `ada-${Date.now()}-${Math.random().toString(36).slice(2)}@example.com` }),
  });
  if (created.status !== 201) throw new Error(`POST /api/v1/users: ${created.status}`);
}

/** What a progress report of `rest/create-201`'s real miss says: the request and the status it got. */
export interface CreateMiss {
  kind: 'response-differs';
  request: 'POST /api/v1/users';
  status: number;
  differs: 'status';
}

/**
 * A real miss of `rest/create-201`: a `POST /api/v1/users` without an email, over a real socket
 * with the session's cookie (422). The server counts a miss only for an attempt it captured that
 * was wrong for the exercise (issue 51); this is one. Returns the miss as the page reports it.
 */
export async function failCreateUserAs(origin: string, cookie: string): Promise<CreateMiss> {
  const refused = await fetch(`${origin}/api/v1/users`, { method: 'POST', headers: { ...json, cookie }, body: JSON.stringify({ name: 'Ада' }) });
  if (refused.ok) throw new Error(`POST /api/v1/users without an email: ${refused.status}`);
  return { kind: 'response-differs', request: 'POST /api/v1/users', status: refused.status, differs: 'status' };
}
