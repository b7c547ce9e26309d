"""Servers and clients that are not Wirelab, for tests/fixture-recorders/record-capture-files.sh.

  python3 capture_file_peers.py grpc-server PORT        # a gRPC server on [::1]:PORT (IPv6)
  python3 capture_file_peers.py grpc-client PORT        # a unary call that succeeds, one that fails
  python3 capture_file_peers.py ws-server PORT          # a WebSocket echo server on 127.0.0.1:PORT
  python3 capture_file_peers.py ws-client PORT          # text, binary, then a close with 1000

gRPC without generated code: the messages are protobuf bytes written by hand (field 1, a string),
so Debian's python3-grpcio is all it needs.
"""
import asyncio
import sys
import time

import grpc

METHOD = '/demo.v1.Greeter/Greet'


def greet(request, context):
    name = request[2:].decode()
    if name == 'nobody':
        context.abort(grpc.StatusCode.NOT_FOUND, 'no one by that name')
    reply = f'hello, {name}'.encode()
    return b'\x0a' + bytes([len(reply)]) + reply


def grpc_server(port):
    from concurrent import futures
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=2))
    handler = grpc.method_handlers_generic_handler('demo.v1.Greeter', {
        'Greet': grpc.unary_unary_rpc_method_handler(greet, request_deserializer=None, response_serializer=None),
    })
    server.add_generic_rpc_handlers((handler,))
    server.add_insecure_port(f'[::1]:{port}')
    server.start()
    print('ready', flush=True)
    server.wait_for_termination(timeout=30)


def grpc_client(port):
    with grpc.insecure_channel(f'[::1]:{port}') as channel:
        call = channel.unary_unary(METHOD)
        print(call(b'\x0a\x05Alice'))
        try:
            call(b'\x0a\x06nobody')
        except grpc.RpcError as error:
            print(error.code())


async def ws_server(port):
    import websockets

    async def echo(socket, *_):
        async for message in socket:
            await socket.send(message)

    async with websockets.serve(echo, '127.0.0.1', port):
        print('ready', flush=True)
        await asyncio.sleep(30)


async def ws_client(port):
    import websockets
    async with websockets.connect(f'ws://127.0.0.1:{port}/echo') as socket:
        await socket.send('hello, Wireshark')
        print(await socket.recv())
        await socket.send(bytes(range(200)))
        print(len(await socket.recv()))
    time.sleep(0.1)


if __name__ == '__main__':
    role, port = sys.argv[1], int(sys.argv[2])
    if role == 'grpc-server':
        grpc_server(port)
    elif role == 'grpc-client':
        grpc_client(port)
    elif role == 'ws-server':
        asyncio.run(ws_server(port))
    elif role == 'ws-client':
        asyncio.run(ws_client(port))
