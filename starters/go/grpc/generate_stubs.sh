#!/bin/sh
# Go stubs for the gRPC starter from the repository's .proto files, offline, with Debian's protoc,
# protoc-gen-go and protoc-gen-go-grpc (packages protobuf-compiler, protoc-gen-go,
# protoc-gen-go-grpc). They go into a GOPATH folder (default ./gopath) as the packages
# wirelabpb/wirelab/users/v1 and wirelabpb/grpc/reflection/v1, the import paths the As code
# programs use too. The .proto files have no go_package option (TypeScript and Python share
# them), so an M option names each file's Go package. The health service is not generated:
# grpc-go's own google.golang.org/grpc/health/grpc_health_v1 registers the same
# grpc/health/v1/health.proto, and two registrations of one file make protobuf-go panic.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
proto="$here/../../../proto"
gopath="${1:-$here/gopath}"
M="Mwirelab/users/v1/users.proto=wirelabpb/wirelab/users/v1;usersv1"
M="$M,Mgrpc/reflection/v1/reflection.proto=wirelabpb/grpc/reflection/v1;reflectionv1"
mkdir -p "$gopath/src"
protoc -I "$proto/vendor" -I "$proto" --go_out="$gopath/src" --go-grpc_out="$gopath/src" \
  --go_opt="$M" --go-grpc_opt="$M" \
  "$proto/wirelab/users/v1/users.proto" "$proto/grpc/reflection/v1/reflection.proto"
echo "stubs in $gopath/src/wirelabpb"
