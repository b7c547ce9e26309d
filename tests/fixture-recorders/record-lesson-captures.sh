#!/usr/bin/env bash
# Records the capture files lessons ask questions about (lessons/<nn>-<slug>/captures/, issue 52
# item 4): dumpcap (Wireshark's capture engine) on loopback around clients and servers nobody here
# wrote — curl against Python's http.server, python3-grpcio and python3-websockets on both ends,
# mosquitto_sub/_pub against a mosquitto broker. Needs root (or dumpcap's capabilities) to capture:
#   bash tests/fixture-recorders/record-lesson-captures.sh          # every lesson's capture
#   bash tests/fixture-recorders/record-lesson-captures.sh 06 12    # only these lessons'
# Debian packages: tshark curl python3-grpcio python3-websockets mosquitto mosquitto-clients
# After recording, lessons/capture-questions.test.ts and tests/integration/lesson-captures-tshark.test.ts
# say whether each question still has exactly one right answer, the one tshark reads.
set -euo pipefail
lessons="$(cd "$(dirname "$0")/../.." && pwd)/lessons"
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
py=/usr/bin/python3

# capture FILE "PORT…" -- COMMAND…: records the ports' packets on loopback while COMMAND runs, into lessons/FILE
capture() {
  local file=$1 ports=$2
  shift 3
  dumpcap -q -i lo -f "tcp and (port ${ports// / or port })" -w "$work/capture.pcapng" >/dev/null 2>&1 &
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

# wanted NN: was lesson NN named on the command line (or nothing named)?
only="$*"
wanted() { [ -z "$only" ] || [[ " $only " == *" $1 "* ]]; }

wait_port() { for _ in $(seq 50); do (echo >"/dev/tcp/$1/$2") 2>/dev/null && return 0; sleep 0.1; done; return 1; }

# Lesson 01: three requests in one curl run; the server closes the connection after the 404
# (Connection: close), so the third request opens a new one
if wanted 01; then
  mkdir -p "$work/site" && printf 'hello from http.server\n' >"$work/site/hello.txt" && printf 'bye\n' >"$work/site/bye.txt"
  $py "$here/lesson_capture_peers.py" http-server 18091 "$work/site" & wait_port 127.0.0.1 18091
  capture 01-how-a-request-travels/captures/curl-keep-alive.pcapng 18091 -- \
    curl -s -o /dev/null http://127.0.0.1:18091/hello.txt --next -s -o /dev/null http://127.0.0.1:18091/missing.txt \
    --next -s -o /dev/null http://127.0.0.1:18091/bye.txt
fi

# Lesson 04: a call that succeeds, then one whose trailers say NOT_FOUND
if wanted 04; then
  $py "$here/lesson_capture_peers.py" grpc-server 18093 & wait_port 127.0.0.1 18093
  capture 04-grpc/captures/grpc-not-found.pcapng 18093 -- $py "$here/lesson_capture_peers.py" grpc-client 18093
fi

# Lesson 06: a text message echoed, then a binary one the text-only server answers with a close frame
if wanted 06; then
  $py "$here/lesson_capture_peers.py" ws-server 18094 & wait_port 127.0.0.1 18094
  capture 06-websockets/captures/websocket-close.pcapng 18094 -- $py "$here/lesson_capture_peers.py" ws-client 18094
fi

# Lesson 12: a broker with two listeners; on the second, max_qos 1 (mosquitto 2.0) grants a
# subscriber that asks for QoS 2 only QoS 1, so a QoS 2 publication reaches it at QoS 1
if wanted 12; then
  printf 'allow_anonymous true\nlistener 18095 127.0.0.1\nlistener 18096 127.0.0.1\nmax_qos 1\n' >"$work/mosquitto.conf"
  mosquitto -c "$work/mosquitto.conf" & wait_port 127.0.0.1 18095 && wait_port 127.0.0.1 18096
  mqtt_clients() {
    mosquitto_sub -p 18096 -h 127.0.0.1 -i sensor-log -q 2 -t lab/temp -C 1 &
    local subscriber=$!
    sleep 0.5
    mosquitto_pub -p 18095 -h 127.0.0.1 -i thermometer -q 2 -t lab/temp -m 21.5
    wait "$subscriber"
  }
  capture 12-mqtt/captures/mqtt-granted-qos.pcapng "18095 18096" -- mqtt_clients
fi
