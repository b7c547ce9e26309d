"""Servers and clients that are not Wirelab, for tests/fixture-recorders/record-lesson-captures.sh:
the captures lessons ask questions about (lessons/<nn>-<slug>/captures/).

  python3 lesson_capture_peers.py grpc-server PORT   # a gRPC server on 127.0.0.1:PORT
  python3 lesson_capture_peers.py grpc-client PORT   # a call that succeeds, then one that ends NOT_FOUND

gRPC without generated code: the messages are protobuf bytes written by hand (field 1, a string),
so Debian's python3-grpcio is all it needs. The failing call sends its response headers before it
fails, so its trailers travel in a HEADERS frame of their own (not a Trailers-Only response): the
lesson's table of frames, seen on a real server.
"""
import sys

import grpc

METHOD = '/demo.v1.Greeter/Greet'


def greet(request, context):
    name = request[2:].decode()
    if name == 'nobody':
        context.send_initial_metadata((('x-looked-up', name),))
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
    server.add_insecure_port(f'127.0.0.1:{port}')
    server.start()
    print('ready', flush=True)
    server.wait_for_termination(timeout=30)


def grpc_client(port):
    with grpc.insecure_channel(f'127.0.0.1:{port}') as channel:
        call = channel.unary_unary(METHOD)
        print(call(b'\x0a\x05Alice'))
        try:
            call(b'\x0a\x06nobody')
        except grpc.RpcError as error:
            print(error.code())


if __name__ == '__main__':
    role, port = sys.argv[1], int(sys.argv[2])
    {'grpc-server': grpc_server, 'grpc-client': grpc_client}[role](port)
