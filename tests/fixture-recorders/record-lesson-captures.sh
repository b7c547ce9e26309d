#!/usr/bin/env bash
# Records the capture files lessons ask questions about (lessons/<nn>-<slug>/captures/, issue 52
# item 4): dumpcap (Wireshark's capture engine) on loopback around clients and servers nobody here
# wrote — python3-grpcio on both ends. Needs root (or dumpcap's capabilities) to capture:
#   bash tests/fixture-recorders/record-lesson-captures.sh
# Debian packages: tshark python3-grpcio
# After recording, lessons/capture-questions.test.ts and tests/integration/lesson-captures-tshark.test.ts
# say whether each question still has exactly one right answer, the one tshark reads.
set -euo pipefail
lessons="$(cd "$(dirname "$0")/../.." && pwd)/lessons"
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
py=/usr/bin/python3

# capture FILE PORT -- COMMAND…: records the port's packets on loopback while COMMAND runs, into lessons/FILE
capture() {
  local file=$1 port=$2
  shift 3
  dumpcap -q -i lo -f "tcp port $port" -w "$work/capture.pcapng" >/dev/null 2>&1 &
  local dumpcap_pid=$!
  sleep 1.5 # dumpcap needs a moment before it captures
  "$@"
  sleep 0.7
  kill -TERM "$dumpcap_pid" # (a background job ignores SIGINT in a script)
  wait "$dumpcap_pid" || true
  mkdir -p "$(dirname "$lessons/$file")"
  cp "$work/capture.pcapng" "$lessons/$file"
  echo "$file: $(stat -c %s "$lessons/$file") bytes"
}

wait_port() { for _ in $(seq 50); do (echo >"/dev/tcp/$1/$2") 2>/dev/null && return 0; sleep 0.1; done; return 1; }

# Lesson 04: a call that succeeds, then one whose trailers say NOT_FOUND
$py "$here/lesson_capture_peers.py" grpc-server 18093 & wait_port 127.0.0.1 18093
capture 04-grpc/captures/grpc-not-found.pcapng 18093 -- $py "$here/lesson_capture_peers.py" grpc-client 18093
