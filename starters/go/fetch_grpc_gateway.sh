#!/bin/sh
# grpc-gateway's runtime for the Go gateway starter, offline builds on Debian 12: the package
# golang-github-grpc-ecosystem-grpc-gateway-dev (1.6.4) unpacked into a GOPATH folder of its own
# (default ./gateway-gopath), never installed — installing it would pull golang/protobuf 1.3 and
# remove golang-github-golang-protobuf-1-5-dev and protoc-gen-go, which the gRPC starters need.
# Build with GOPATH="<that folder>:<the stubs' gopath>:/usr/share/gocode" (README.md).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
gopath="${1:-$here/gateway-gopath}"
if [ -d "$gopath/src/github.com/grpc-ecosystem/grpc-gateway/runtime" ]; then
  echo "grpc-gateway already in $gopath"
  exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && apt-get download golang-github-grpc-ecosystem-grpc-gateway-dev >/dev/null)
dpkg-deb -x "$work"/golang-github-grpc-ecosystem-grpc-gateway-dev_*.deb "$work/unpacked"
mkdir -p "$gopath/src/github.com"
cp -r "$work/unpacked/usr/share/gocode/src/github.com/grpc-ecosystem" "$gopath/src/github.com/"
echo "grpc-gateway in $gopath"
