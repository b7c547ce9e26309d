#!/usr/bin/env bash
# Records the capture files the inspector's "Open capture" is tested on (wire/capture-file/fixtures/):
# dumpcap (Wireshark's capture engine) on loopback around clients and servers nobody here wrote —
# curl against Python's http.server, nghttp against nghttpd (h2c), python3-grpcio on both ends
# over IPv6, python3-websockets on both ends, mosquitto_pub/_sub against a mosquitto broker, and
# curl against openssl s_server (TLS). Needs root (or dumpcap's capabilities) to capture:
#   bash tests/fixture-recorders/record-capture-files.sh
# Debian packages: tshark curl nghttp2-client nghttp2-server python3-grpcio python3-websockets mosquitto mosquitto-clients openssl
set -euo pipefail
out="$(cd "$(dirname "$0")/../.." && pwd)/wire/capture-file/fixtures"
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
py=/usr/bin/python3

# capture NAME PORT IFACE FORMAT [LINK TYPE] -- COMMAND…: records the port's packets while COMMAND runs
capture() {
  local name=$1 port=$2 iface=$3 format=$4
  shift 4
  local options=()
  [ "$format" = pcap ] && options+=(-P)
  [ "$1" != -- ] && options+=(-y "$1") && shift
  shift
  dumpcap -q -i "$iface" -f "tcp port $port" "${options[@]}" -w "$work/$name" >/dev/null 2>&1 &
  local dumpcap_pid=$!
  sleep 1.5 # dumpcap needs a moment before it captures
  "$@"
  sleep 0.7
  kill -TERM "$dumpcap_pid" # (a background job ignores SIGINT in a script)
  wait "$dumpcap_pid" || true
  cp "$work/$name" "$out/$name"
  echo "$name: $(stat -c %s "$out/$name") bytes"
}

wait_port() { for _ in $(seq 50); do (echo >"/dev/tcp/$1/$2") 2>/dev/null && return 0; sleep 0.1; done; return 1; }

# HTTP/1.1: two requests on one kept-alive connection (HTTP/1.1 server), then a POST on another
mkdir -p "$work/site" && printf 'hello from http.server\n' >"$work/site/hello.txt"
cat >"$work/server.py" <<'PY'
import http.server, sys, functools
class Handler(http.server.SimpleHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get('content-length', 0)))
        reply = b'{"got":' + str(len(body)).encode() + b'}'
        self.send_response(201)
        self.send_header('content-type', 'application/json')
        self.send_header('content-length', str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)
http.server.ThreadingHTTPServer(('127.0.0.1', int(sys.argv[1])), functools.partial(Handler, directory=sys.argv[2])).serve_forever()
PY
$py "$work/server.py" 18081 "$work/site" & wait_port 127.0.0.1 18081
http_clients() {
  curl -s -o /dev/null http://127.0.0.1:18081/hello.txt --next -s -o /dev/null http://127.0.0.1:18081/missing
  curl -s -o /dev/null -H 'content-type: application/json' -d '{"name":"Ada"}' http://127.0.0.1:18081/users
}
capture http1-curl.pcapng 18081 lo pcapng -- http_clients
# the same conversation as classic pcap, and on the "any" device (Linux cooked capture, v1 and v2)
capture http1-curl.pcap 18081 lo pcap -- http_clients
capture http1-curl-sll.pcapng 18081 any pcapng -- http_clients
capture http1-curl-sll2.pcapng 18081 any pcapng LINUX_SLL2 -- http_clients

# HTTP/2 with prior knowledge: nghttp against nghttpd, two streams on one connection
printf 'first file\n' >"$work/site/a.txt" && printf 'second file, a little longer\n' >"$work/site/b.txt"
nghttpd --no-tls -d "$work/site" 18082 & wait_port 127.0.0.1 18082
capture h2c-nghttp.pcapng 18082 lo pcapng -- nghttp -n http://127.0.0.1:18082/a.txt http://127.0.0.1:18082/b.txt

# gRPC over IPv6: a call that succeeds, one that ends with NOT_FOUND in its trailers
$py "$here/capture_file_peers.py" grpc-server 18083 & wait_port ::1 18083
capture grpc-python.pcapng 18083 lo pcapng -- $py "$here/capture_file_peers.py" grpc-client 18083

# WebSocket: python3-websockets on both ends
$py "$here/capture_file_peers.py" ws-server 18084 & wait_port 127.0.0.1 18084
capture websocket-python.pcapng 18084 lo pcapng -- $py "$here/capture_file_peers.py" ws-client 18084

# MQTT: a retained QoS 1 publish, then a subscriber that gets it
mosquitto -p 18085 & wait_port 127.0.0.1 18085
mqtt_clients() {
  mosquitto_pub -p 18085 -h 127.0.0.1 -i pub1 -q 1 -r -t lab/temp -m 21.5
  mosquitto_sub -p 18085 -h 127.0.0.1 -i sub1 -q 1 -t lab/temp -C 1
}
capture mqtt-mosquitto.pcapng 18085 lo pcapng -- mqtt_clients

# TLS: curl against openssl s_server; the inspector says it cannot read it
openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=localhost -keyout "$work/key.pem" -out "$work/cert.pem" -days 2 2>/dev/null
openssl s_server -accept 18086 -cert "$work/cert.pem" -key "$work/key.pem" -www -quiet & wait_port 127.0.0.1 18086
capture tls-curl.pcapng 18086 lo pcapng -- curl -sk -o /dev/null https://127.0.0.1:18086/
