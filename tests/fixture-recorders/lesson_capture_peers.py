"""Servers and clients that are not Wirelab, for tests/fixture-recorders/record-lesson-captures.sh:
the captures lessons ask questions about (lessons/<nn>-<slug>/captures/).

  python3 lesson_capture_peers.py http-server PORT DIR  # Python's http.server, HTTP/1.1 (keep-alive), serving DIR
  python3 lesson_capture_peers.py grpc-server PORT      # a gRPC server on 127.0.0.1:PORT
  python3 lesson_capture_peers.py grpc-client PORT      # a call that succeeds, then one that ends NOT_FOUND
  python3 lesson_capture_peers.py ws-server PORT        # a WebSocket echo for text; binary gets a close with 1003
  python3 lesson_capture_peers.py ws-client PORT        # a text message, then a binary one the server refuses

gRPC without generated code: the messages are protobuf bytes written by hand (field 1, a string),
so Debian's python3-grpcio is all it needs. The failing call sends its response headers before it
fails, so its trailers travel in a HEADERS frame of their own (not a Trailers-Only response): the
lesson's table of frames, seen on a real server.
"""
import asyncio
import sys

METHOD = '/demo.v1.Greeter/Greet'


def greet(request, context):
    import grpc
    name = request[2:].decode()
    if name == 'nobody':
        context.send_initial_metadata((('x-looked-up', name),))
        context.abort(grpc.StatusCode.NOT_FOUND, 'no one by that name')
    reply = f'hello, {name}'.encode()
    return b'\x0a' + bytes([len(reply)]) + reply


def http_server(port, directory):
    import functools
    import http.server

    class Handler(http.server.SimpleHTTPRequestHandler):
        # HTTP/1.1 keeps the connection open after a response; an error answer (send_error) says
        # "Connection: close" and closes it, so the client's next request needs a new connection
        protocol_version = 'HTTP/1.1'

    server = http.server.ThreadingHTTPServer(('127.0.0.1', port), functools.partial(Handler, directory=directory))
    print('ready', flush=True)
    server.serve_forever()


def grpc_server(port):
    import grpc
    from concurrent import futures
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=2))
    handler = grpc.method_handlers_generic_handler('demo.v1.Greeter', {
        'Greet': grpc.unary_unary_rpc_method_handler(greet, request_deserializer=None, response_serializer=None),
    })
    server.add_generic_rpc_handlers((handler,))
    server.add_insecure_port(f'127.0.0.1:{port}')
    server.start()
    print('ready', flush=True)
    server.wait_for_termination(timeout=30)


def grpc_client(port):
    import grpc
    with grpc.insecure_channel(f'127.0.0.1:{port}') as channel:
        call = channel.unary_unary(METHOD)
        print(call(b'\x0a\x05Alice'))
        try:
            call(b'\x0a\x06nobody')
        except grpc.RpcError as error:
            print(error.code())


async def ws_server(port):
    import websockets

    async def text_only(socket, *_):
        async for message in socket:
            if isinstance(message, bytes):
                # RFC 6455 §7.4.1: 1003, data of a type the endpoint cannot accept
                await socket.close(code=1003, reason='text only')
                return
            await socket.send(message)

    # no permessage-deflate: the frames carry the bytes as sent, as in the lesson's own server
    async with websockets.serve(text_only, '127.0.0.1', port, compression=None):
        print('ready', flush=True)
        await asyncio.sleep(30)


async def ws_client(port):
    import websockets
    async with websockets.connect(f'ws://127.0.0.1:{port}/notes', compression=None) as socket:
        await socket.send('hello, server')
        print(await socket.recv())
        await socket.send(bytes([0x01, 0x02, 0xFF]))
        try:
            await socket.recv()
        except websockets.ConnectionClosed as closed:
            print('closed', closed.rcvd.code if closed.rcvd else None)


if __name__ == '__main__':
    role, port = sys.argv[1], int(sys.argv[2])
    if role == 'http-server':
        http_server(port, sys.argv[3])
    elif role in ('ws-server', 'ws-client'):
        asyncio.run({'ws-server': ws_server, 'ws-client': ws_client}[role](port))
    else:
        {'grpc-server': grpc_server, 'grpc-client': grpc_client}[role](port)
