import type { IncomingHttpHeaders } from 'node:http';
import { describe, expect, it } from 'vitest';
import type { OutgoingHttpHeaders } from 'node:http';
import { create } from '@bufbuild/protobuf';
import { Code, ConnectError, createContextValues, createServiceImplSpec, type HandlerContext, type Interceptor, type ServiceImpl } from '@connectrpc/connect';
import { GetUserRequestSchema, UserService } from '../../../proto/gen/wirelab/users/v1/users_pb.ts';
import { LazySignalContext, mergedHeaders, NodeRequestHeaders, unaryInvoker, type UnaryImplSpec } from './unary-connect-call.ts';

/** What connect-node's nodeHeaderToWebHeader builds from the same node headers. */
function filled(node: IncomingHttpHeaders): Headers {
  const header = new Headers();
  for (const [name, value] of Object.entries(node)) {
    // HTTP/2 pseudo-headers are stripped (connect-node's nodeHeaderToWebHeader).
    if (value === undefined || name.startsWith(':')) continue;
    for (const v of Array.isArray(value) ? value : [value]) header.append(name, v);
  }
  return header;
}

const NODE: IncomingHttpHeaders = {
  host: '127.0.0.1:8080',
  'content-type': 'application/json',
  'connect-timeout-ms': '500',
  'x-echo-lang': 'ru, en',
  cookie: 'a=1; b=2',
  'set-cookie': ['x=1', 'y=2'],
};

describe('NodeRequestHeaders', () => {
  it('answers get and has as the filled Headers do, names in any case, missing ones too', () => {
    const lazy = new NodeRequestHeaders(NODE);
    const full = filled(NODE);
    for (const name of ['Content-Type', 'content-type', 'CONNECT-TIMEOUT-MS', 'x-echo-lang', 'cookie', 'set-cookie', 'grpc-timeout', 'authorization']) {
      expect(lazy.get(name)).toBe(full.get(name));
      expect(lazy.has(name)).toBe(full.has(name));
    }
  });

  it("an HTTP/2 request's pseudo-headers are no metadata: iterating skips them (the gRPC fast path's Echo)", () => {
    const h2: IncomingHttpHeaders = {
      ':method': 'POST',
      ':path': '/wirelab.lab.v1.LabService/Echo',
      ':authority': '127.0.0.1:8080',
      ':scheme': 'http',
      ...NODE,
    };
    const full = filled(h2);
    expect([...new NodeRequestHeaders(h2)]).toEqual([...full]);
    expect([...new NodeRequestHeaders(h2)].some(([name]) => name.startsWith(':'))).toBe(false);
    expect(new NodeRequestHeaders(h2).get('content-type')).toBe('application/json');
  });

  it('throws for a name that is no header name, as Headers does', () => {
    expect(() => new NodeRequestHeaders(NODE).get('bad name')).toThrow(TypeError);
    expect(() => new NodeRequestHeaders(NODE).has('bad:name')).toThrow(TypeError);
  });

  it('iterates, copies and reads set-cookie as the filled Headers do', () => {
    const full = filled(NODE);
    expect([...new NodeRequestHeaders(NODE)]).toEqual([...full]);
    expect([...new NodeRequestHeaders(NODE).entries()]).toEqual([...full.entries()]);
    expect([...new NodeRequestHeaders(NODE).keys()]).toEqual([...full.keys()]);
    expect([...new NodeRequestHeaders(NODE).values()]).toEqual([...full.values()]);
    expect(new NodeRequestHeaders(NODE).getSetCookie()).toEqual(['x=1', 'y=2']);
    const seen: string[] = [];
    new NodeRequestHeaders(NODE).forEach((value, key) => seen.push(`${key}=${value}`));
    expect(seen).toEqual([...full].map(([key, value]) => `${key}=${value}`));
    expect([...new Headers(new NodeRequestHeaders(NODE))]).toEqual([...full]);
  });

  it('changes are seen by every later read, and node headers are left alone', () => {
    const node = { ...NODE };
    const lazy = new NodeRequestHeaders(node);
    lazy.set('content-type', 'application/proto');
    lazy.append('x-echo-lang', 'de');
    lazy.delete('cookie');
    expect(lazy.get('content-type')).toBe('application/proto');
    expect(lazy.get('x-echo-lang')).toBe('ru, en, de');
    expect(lazy.has('cookie')).toBe(false);
    expect(lazy.get('host')).toBe('127.0.0.1:8080');
    expect(node).toEqual(NODE);
  });
});

describe('LazySignalContext', () => {
  const context = (options: { timeoutMs?: number; shutdown?: AbortSignal } = {}) =>
    new LazySignalContext(
      UserService.method.getUser,
      'POST',
      'http://x/',
      new Headers(),
      createContextValues(),
      options.shutdown,
      'application/json',
      options.timeoutMs,
    );

  it('asked for after the deadline passed, the signal is already aborted with DEADLINE_EXCEEDED', () => {
    const ctx = context({ timeoutMs: 0 });
    expect(ctx.signal.aborted).toBe(true);
    expect(ConnectError.from(ctx.signal.reason).code).toBe(Code.DeadlineExceeded);
  });

  it('a deadline aborts a signal somebody listens to', async () => {
    const ctx = context({ timeoutMs: 5 });
    const aborted = new Promise((resolve) => ctx.signal.addEventListener('abort', () => resolve(ctx.signal.reason)));
    expect(ConnectError.from(await aborted).code).toBe(Code.DeadlineExceeded);
  });

  it('the end of the call aborts it with an AbortError, asked for before or after', () => {
    const before = context();
    const signal = before.signal;
    before.abort();
    expect(signal.aborted).toBe(true);
    expect((signal.reason as DOMException).name).toBe('AbortError');
    const after = context();
    after.abort();
    expect(after.signal.aborted).toBe(true);
    expect((after.signal.reason as DOMException).name).toBe('AbortError');
  });

  it("the server's shutdown aborts it with the shutdown's reason; the first reason wins", () => {
    const shutdown = new AbortController();
    const ctx = context({ shutdown: shutdown.signal });
    const signal = ctx.signal;
    shutdown.abort(new ConnectError('the server is shutting down', Code.Unavailable));
    expect(ConnectError.from(signal.reason).code).toBe(Code.Unavailable);
    ctx.abort(new ConnectError('later', Code.Canceled));
    expect(ConnectError.from(signal.reason).code).toBe(Code.Unavailable);
    const late = context({ shutdown: shutdown.signal });
    expect(ConnectError.from(late.signal.reason).code).toBe(Code.Unavailable);
  });

  it('a context whose signal nobody asked for adds no listener to the shutdown signal', () => {
    const shutdown = new AbortController();
    let added = 0;
    const add = shutdown.signal.addEventListener.bind(shutdown.signal);
    shutdown.signal.addEventListener = ((...args: Parameters<AbortSignal['addEventListener']>) => {
      added += 1;
      add(...args);
    }) as AbortSignal['addEventListener'];
    const ctx = context({ shutdown: shutdown.signal });
    ctx.abort();
    expect(added).toBe(0);
    void ctx.signal;
    expect(added).toBe(0); // already over: aborted without linking
    void context({ shutdown: shutdown.signal }).signal;
    expect(added).toBe(1);
  });
});

describe('unaryInvoker', () => {
  /** GetUser answered by `impl`, through `interceptors`, as the fast paths invoke it. */
  async function invoke(inHandler: (ctx: HandlerContext) => void, interceptors: Interceptor[], timeoutMs?: number): Promise<void> {
    const implementation: Partial<ServiceImpl<typeof UserService>> = {
      getUser(_request, ctx) {
        inHandler(ctx);
        return { user: { id: 1 } };
      },
    };
    const specs = createServiceImplSpec(UserService, implementation);
    const spec = specs.methods.getUser as UnaryImplSpec;
    const context = new LazySignalContext(spec.method, 'POST', 'http://x/', new Headers(), createContextValues(), undefined, 'application/json', timeoutMs);
    await unaryInvoker(spec, interceptors)(context, create(GetUserRequestSchema, { key: { case: 'id', value: 1 } }));
    context.abort();
  }

  it("interceptors see the call's signal on the request, and the handler the same one", async () => {
    const seen: AbortSignal[] = [];
    const keys: string[][] = [];
    const look: Interceptor = (next) => (req) => {
      seen.push(req.signal);
      keys.push(Object.keys(req));
      return next(req);
    };
    let handlerSignal: AbortSignal | undefined;
    await invoke((ctx) => (handlerSignal = ctx.signal), [look], 1000);
    expect(seen[0]).toBeInstanceOf(AbortSignal);
    expect(handlerSignal).toBe(seen[0]);
    expect(keys[0]).toEqual(expect.arrayContaining(['stream', 'message', 'method', 'service', 'requestMethod', 'url', 'header', 'contextValues']));
  });

  it("the handler gets the call's signal even behind an interceptor that passes a spread copy of the request", async () => {
    const copy: Interceptor = (next) => (req) => next({ ...req });
    let handlerSignal: AbortSignal | undefined;
    let abortedAtEnd = false;
    await invoke(
      (ctx) => {
        handlerSignal = ctx.signal;
        handlerSignal.addEventListener('abort', () => (abortedAtEnd = true));
      },
      [copy],
      1000,
    );
    expect(handlerSignal).toBeInstanceOf(AbortSignal);
    expect(abortedAtEnd).toBe(true);
  });

  it('a signal an interceptor puts on its copy of the request is the one the handler gets', async () => {
    const own = new AbortController();
    const replace: Interceptor = (next) => (req) => next({ ...req, signal: own.signal });
    let handlerSignal: AbortSignal | undefined;
    await invoke((ctx) => (handlerSignal = ctx.signal), [replace]);
    expect(handlerSignal).toBe(own.signal);
  });
});

describe('mergedHeaders', () => {
  it('gives what { ...first, ...second } gives: the same names, values and order', () => {
    const first: OutgoingHttpHeaders = { 'x-content-type-options': 'nosniff', 'content-type': 'text/plain', 'set-cookie': ['a=1', 'b=2'] };
    const second: OutgoingHttpHeaders = { 'content-type': 'application/json', 'trailer-x-wirelab-duration-ms': '0.9', 'content-length': 12 };
    const merged = mergedHeaders(first, second);
    expect(merged).toEqual({ ...first, ...second });
    expect(Object.keys(merged)).toEqual(Object.keys({ ...first, ...second }));
    expect(mergedHeaders({}, {})).toEqual({});
  });
});
