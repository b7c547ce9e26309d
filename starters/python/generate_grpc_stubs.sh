#!/bin/sh
# Python stubs for grpc_server.py from the repository's .proto files, with Debian's protoc and
# grpc_python_plugin (packages protobuf-compiler, protobuf-compiler-grpc). Debian's
# python3-grpc-tools is too old for proto3 `optional`, which users.proto uses.
# The health service is generated from proto/grpc/ so its Python package is `health.v1`, not
# `grpc.health.v1`, which would hide the grpc library itself.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
proto="$here/../../proto"
out="${1:-$here/gen}"
mkdir -p "$out"
protoc -I "$proto" -I "$proto/vendor" --python_out="$out" --grpc_out="$out" \
  --plugin=protoc-gen-grpc=/usr/bin/grpc_python_plugin \
  wirelab/users/v1/users.proto google/api/annotations.proto google/api/http.proto google/rpc/status.proto google/rpc/error_details.proto
protoc -I "$proto/grpc" --python_out="$out" --grpc_out="$out" \
  --plugin=protoc-gen-grpc=/usr/bin/grpc_python_plugin health/v1/health.proto
echo "stubs in $out"
