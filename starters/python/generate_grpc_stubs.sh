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
# Debian's protoc and plugin where they are; elsewhere (a venv with requirements.txt) pip's
# grpcio-tools, which bundles both.
if command -v protoc >/dev/null && [ -x /usr/bin/grpc_python_plugin ]; then
  generate() { protoc --grpc_out="$out" --plugin=protoc-gen-grpc=/usr/bin/grpc_python_plugin "$@"; }
else
  generate() { "${PYTHON:-python3}" -m grpc_tools.protoc --grpc_python_out="$out" "$@"; }
fi
generate -I "$proto" -I "$proto/vendor" --python_out="$out" \
  wirelab/users/v1/users.proto google/api/annotations.proto google/api/http.proto google/rpc/status.proto google/rpc/error_details.proto
generate -I "$proto/grpc" --python_out="$out" health/v1/health.proto
echo "stubs in $out"
