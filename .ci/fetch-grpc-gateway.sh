#!/bin/sh
# CI only (students get grpc-gateway from `go mod tidy`): the sources of grpc-gateway 1.6.4, the
# version starters/go/go.mod names, for the offline module build of the Go gateway starter
# (tests/integration/go-offline-workspace.ts). Debian 12's golang-github-grpc-ecosystem-grpc-gateway-dev
# is unpacked into a folder of its own (<folder>/src/github.com/grpc-ecosystem/grpc-gateway), never
# installed: installing it would pull golang/protobuf 1.3 and remove golang-github-golang-protobuf-1-5-dev
# and protoc-gen-go, which the gRPC programs need.
set -eu
gopath="${1:?usage: fetch-grpc-gateway.sh FOLDER}"
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
