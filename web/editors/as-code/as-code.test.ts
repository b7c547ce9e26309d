import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { httpSpecOf, longPollSpecOf, socketIoConsoleSpecOf, specOfCellFile } from './cell-spec.ts';
import { asCode } from './generate.ts';
import { isGenerated } from './generated.ts';
import { languageFromStorage } from './language-choice.ts';
import { AS_CODE_LANGUAGES } from './languages.ts';
import { GO_STUB_PROTOS, GO_STUBS_COMMAND, goCamelCase, goPackageName } from './grpc-go-code.ts';

const target = { origin: 'http://192.168.1.5:8080', token: 'curl.TOKEN' };

describe('As code', () => {
  it('remembers a known language, else starts with the terminal', () => {
    expect(languageFromStorage('go')).toBe('go');
    expect(languageFromStorage('cobol')).toBe('terminal');
    expect(languageFromStorage(null)).toBe('terminal');
  });

  it('writes the request as typed, percent-encoded as the browser sends it, with the token, in every language', () => {
    const spec = specOfCellFile('http', 'GET /api/v1/users?q=ершов\nAccept: application/json\n');
    expect(spec).toMatchObject({ kind: 'http', target: '/api/v1/users?q=%D0%B5%D1%80%D1%88%D0%BE%D0%B2' });
    for (const language of AS_CODE_LANGUAGES) {
      const result = asCode(spec!, language, target);
      if (!isGenerated(result)) throw new Error(`${language}: nothing written`);
      expect(result.code).toContain('http://192.168.1.5:8080/api/v1/users?q=%D0%B5%D1%80%D1%88%D0%BE%D0%B2');
      expect(result.code).toContain('curl.TOKEN');
      expect(result.install).not.toContain('\n');
    }
  });

  it('leaves out what fetch cannot send, and says so in both languages', () => {
    const spec = httpSpecOf({
      method: 'GET',
      target: '/x',
      version: null,
      headers: [{ name: 'Connection', value: 'close', line: 2 }],
      body: null,
      requestLine: 1,
      bodyLine: null,
    });
    const result = asCode(spec, 'javascript', target);
    if (!isGenerated(result)) throw new Error('nothing written');
    expect(result.code).not.toContain('Connection');
    expect(result.notes[0].en).toContain('Connection');
    expect(result.notes[0].ru).toContain('Connection');
  });

  it('writes the long poll the console sends: its cursor and hold', () => {
    expect(longPollSpecOf('/api/v1/poll', '12', '5').target).toBe('/api/v1/poll?since=12&timeout=5');
  });

  it('a language without a program says why, in both languages', () => {
    const subscription = specOfCellFile('graphql', 'subscription { postAdded { id } }')!;
    expect(subscription.kind).toBe('graphql-ws');
    const overTls = asCode(subscription, 'terminal', { ...target, origin: 'https://wirelab.example' });
    if (isGenerated(overTls)) throw new Error('terminal: a subscription over /dev/tcp to an https page');
    expect(overTls.unsupported.ru).toContain('TLS');
  });

  it('the terminal (curl, polling) and Go (gorilla/websocket) speak Socket.IO by hand: namespace, auth, ack ids, DISCONNECT', () => {
    const spec = specOfCellFile(
      'socket-io',
      '{ "namespace": "/chat", "auth": { "name": "a" }, "transports": ["websocket"], "presets": [{ "event": "join", "args": ["x"], "ack": true }, { "event": "say", "args": [1], "ack": false }] }',
    )!;
    const result = asCode(spec, 'terminal', target);
    if (!isGenerated(result)) throw new Error('no terminal program');
    expect(result.code).toContain(`send '40/chat,{"name":"a"}'`);
    expect(result.code).toContain(`send '42/chat,1["join","x"]'`);
    // the answers are known by how their packets start (the sandbox's events may come beside them)
    expect(result.code).toContain(`wait_for '40/chat,' '44/chat,'`);
    expect(result.code).toContain(`wait_for '43/chat,1['`);
    expect(result.code).toContain(`send '42/chat,["say",1]'`);
    expect(result.code).toContain(`send '41/chat,'`);
    expect(result.notes.map((note) => note.en).join(' ')).toContain('WebSocket only');
    const go = asCode(spec, 'go', target);
    if (!isGenerated(go)) throw new Error('no Go program');
    expect(go.code).toContain('"40/chat,{\\"name\\":\\"a\\"}"');
    expect(go.code).toContain('strings.HasPrefix(reply, "43/chat,1[")');
  });

  it('writes every console in the languages that have a client, with the token', () => {
    const consoles = [
      specOfCellFile('sse', '{ "url": "/api/v1/events" }')!,
      specOfCellFile('mqtt', '{ "clientId": "c1", "publish": { "topic": "t", "payload": "0A ff", "format": "hex" } }')!,
      specOfCellFile('graphql', 'subscription { postAdded { id } }')!,
      specOfCellFile('socket-io', '{ "namespace": "/", "transports": ["websocket"], "presets": [{ "event": "chat:join", "args": ["lobby"], "ack": true }] }')!,
    ];
    for (const spec of consoles) {
      for (const language of AS_CODE_LANGUAGES) {
        const result = asCode(spec, language, target);
        if (!isGenerated(result)) continue;
        expect(result.code, `${spec.kind} ${language}`).toContain('curl.TOKEN');
        for (const note of result.notes) expect(note.ru && note.en && note.ru !== note.en).toBeTruthy();
      }
    }
    // MQTT bytes given in hex: as bytes, in each language its own way
    const mqtt = consoles[1];
    expect(mqtt).toMatchObject({ publish: { payload: '0aff', hex: true } });
    const code = (language: (typeof AS_CODE_LANGUAGES)[number]) => (asCode(mqtt, language, target) as { code: string }).code;
    expect(code('terminal')).toContain("printf '\\012\\377' | mosquitto_pub");
    expect(code('python')).toContain('bytes.fromhex("0aff")');
    expect(code('go')).toContain('hex.DecodeString("0aff")');
    expect(code('javascript')).toContain('Buffer.from("0aff", "hex")');
  });

  it('offers no mosquitto command for a keep-alive mosquitto refuses (under 5 s), and says why', () => {
    const spec = specOfCellFile('mqtt', '{ "keepAlive": 0 }')!;
    const result = asCode(spec, 'terminal', target);
    if (isGenerated(result)) throw new Error('a mosquitto command for keep-alive 0');
    expect(result.unsupported.ru).toContain('keep-alive');
    expect(isGenerated(asCode(spec, 'python', target))).toBe(true);
  });

  it('writes the Socket.IO console as it stands: the emit typed, else the presets', () => {
    const presets = [
      { event: 'chat:join', args: ['lobby'], ack: true },
      { event: 'chat:message', args: [{ room: 'lobby', text: 'hi' }], ack: false },
    ];
    const draft = { namespace: '/', authText: '{"name":"a"}', transports: ['websocket' as const], event: 'chat:join', argsText: '["lobby"]', withAck: true };
    expect(socketIoConsoleSpecOf(draft, presets)?.emits).toEqual(presets);
    expect(socketIoConsoleSpecOf({ ...draft, argsText: '["kitchen"]' }, presets)?.emits).toEqual([{ event: 'chat:join', args: ['kitchen'], ack: true }]);
    expect(socketIoConsoleSpecOf({ ...draft, authText: '[1]' }, presets)).toBeNull();
    expect(socketIoConsoleSpecOf({ ...draft, argsText: 'not json' }, presets)).toBeNull();
  });

  it('writes every kind of RPC for grpc-go: the message, metadata, deadline and token; Connect unary JSON stays plain net/http', () => {
    const cell = (method: string, extra = '') => specOfCellFile('grpc', `{ "method": "${method}", "protocol": "grpc-web", "request": { "id": 7 }${extra} }`)!;
    const go = (method: string, extra = '') => {
      const result = asCode(cell(method, extra), 'go', target);
      if (!isGenerated(result)) throw new Error(`${method}: no Go program`);
      return result;
    };
    const unary = go('wirelab.users.v1.UserService/GetUser', ', "metadata": { "x-request-id": "r1" }, "timeoutMs": 500');
    expect(unary.tool).toBe('grpc-go');
    expect(unary.code).toContain('request := &usersv1.GetUserRequest{}');
    expect(unary.code).toContain('protojson.Unmarshal([]byte("{\\"id\\":7}"), request)');
    expect(unary.code).toContain('metadata.AppendToOutgoingContext(context.Background(), "x-wirelab-sandbox", token, "x-request-id", "r1")');
    expect(unary.code).toContain('context.WithTimeout(ctx, 500*time.Millisecond)');
    expect(unary.code).toContain('token := "curl.TOKEN"');
    expect(unary.code).toContain('grpc.DialContext(dialing, "192.168.1.5:8080", grpc.WithInsecure(), grpc.WithBlock())');
    expect(unary.code).toContain('client.GetUser(ctx, request)');
    expect(unary.code).toContain(GO_STUBS_COMMAND);
    expect(unary.notes[0].en).toContain('gRPC-Web');
    expect(unary.notes[0].ru).toContain('gRPC-Web');
    expect(go('wirelab.lab.v1.LabService/Ticks').code).toMatch(/stream, err := client\.Ticks\(ctx, request\)[\s\S]*stream\.Recv\(\)/);
    expect(go('wirelab.users.v1.UserService/CreateUsers').code).toMatch(
      /client\.CreateUsers\(ctx\)[\s\S]*stream\.Send\(request\)[\s\S]*stream\.CloseAndRecv\(\)/,
    );
    expect(go('wirelab.users.v1.UserService/Chat').code).toMatch(
      /client\.Chat\(ctx\)[\s\S]*stream\.Send\(request\)[\s\S]*stream\.CloseSend\(\)[\s\S]*stream\.Recv\(\)/,
    );
    expect(go('grpc.health.v1.Health/Check').code).toContain('client := healthv1.NewHealthClient(connection)');
    expect(go('wirelab.lab.v1.LifecycleService/SetServingStatus').code).toContain('labv1 "wirelabpb/wirelab/lab/v1"');
    const connectJson = asCode(specOfCellFile('grpc', '{ "method": "wirelab.users.v1.UserService/GetUser", "request": { "id": 1 } }')!, 'go', target);
    expect(isGenerated(connectJson) && connectJson.tool).toBe('net/http (Connect)');
  });

  it('names Go identifiers as protoc-gen-go does', () => {
    expect(goCamelCase('GetUserRequest')).toBe('GetUserRequest');
    expect(goCamelCase('ListUsersRequest.Filter')).toBe('ListUsersRequest_Filter');
    expect(goCamelCase('foo_bar')).toBe('FooBar');
    expect(goCamelCase('_x')).toBe('XX');
    expect(goCamelCase('v1_2')).toBe('V1_2');
    expect(goPackageName('grpc/reflection/v1alpha/reflection.proto')).toBe('reflectionv1alpha');
  });

  it('makes Go stubs of every .proto file with a service in proto/', () => {
    const root = join(import.meta.dirname, '../../../proto');
    const walk = (folder: string): string[] =>
      readdirSync(folder, { withFileTypes: true }).flatMap((entry) =>
        entry.isDirectory() ? (['vendor', 'gen'].includes(entry.name) && folder === root ? [] : walk(join(folder, entry.name))) : [join(folder, entry.name)],
      );
    const withService = walk(root)
      .filter((file) => file.endsWith('.proto') && /^service /m.test(readFileSync(file, 'utf8')))
      .map((file) => relative(root, file))
      .sort();
    expect([...GO_STUB_PROTOS].sort()).toEqual(withService);
  });
});
