// A starter WebSocket echo server at /ws/echo, what `npm run check-server -- websocket` checks.
//
//	cd starters/go && go mod tidy && go build -o echo-server ./complete/websocket && ./echo-server -port 8001
//	npm run check-server -- websocket 127.0.0.1:8001
//
// Go 1.19 or newer and gorilla/websocket 1.5 (go.mod).
// gorilla does the protocol's work: the handshake, pongs, joining fragments, the closing
// handshake; this file checks what gorilla leaves to its user: gorilla hands over a text message
// that is not UTF-8 as it is, and RFC 6455 §8.1 wants the connection failed with 1007.
// -fault breaks one thing on purpose: uppercase (text in capitals), no-utf8-check (gorilla alone).
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"time"
	"unicode/utf8"

	"github.com/gorilla/websocket"
)

// The largest message this server takes, as Python's websockets by default; a larger one is refused with 1009.
const maxMessageBytes = 1 << 20

var upgrader = websocket.Upgrader{
	// The checks and your own page connect from this machine; a real service would check Origin.
	CheckOrigin: func(*http.Request) bool { return true },
}

func echo(fault string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		conn, err := upgrader.Upgrade(w, r, nil)
		if err != nil {
			return // gorilla has answered the broken handshake with 400
		}
		defer conn.Close()
		// gorilla takes messages of any size unless told: past this one it closes with 1009 (RFC 6455 §10.4)
		conn.SetReadLimit(maxMessageBytes)
		for {
			kind, message, err := conn.ReadMessage()
			if errors.Is(err, websocket.ErrReadLimit) {
				// gorilla sent 1009 with the rest of the message still arriving: closing now would
				// reset the connection, and a reset can throw away the close frame on its way to
				// the client. Read what is left (a moment at most) first.
				raw := conn.UnderlyingConn()
				raw.SetReadDeadline(time.Now().Add(2 * time.Second))
				io.Copy(io.Discard, raw)
			}
			if err != nil {
				return // a close frame (gorilla answered it), a protocol error (gorilla sent 1002) or too big (1009)
			}
			if kind == websocket.TextMessage && fault != "no-utf8-check" && !utf8.Valid(message) {
				closeWith(conn, websocket.CloseInvalidFramePayloadData, "invalid UTF-8")
				return
			}
			if kind == websocket.TextMessage && fault == "uppercase" {
				message = bytes.ToUpper(message)
			}
			if err := conn.WriteMessage(kind, message); err != nil {
				return
			}
		}
	}
}

func closeWith(conn *websocket.Conn, code int, reason string) {
	_ = conn.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(code, reason))
}

func main() {
	host := flag.String("host", "127.0.0.1", "address to listen on; 0.0.0.0 in class, where Wirelab on the teacher's laptop connects to yours")
	port := flag.Int("port", 8001, "port; 0 picks a free one (printed)")
	fault := flag.String("fault", os.Getenv("FAULT"), "break one thing on purpose: uppercase, no-utf8-check")
	flag.Parse()
	listener, err := net.Listen("tcp", fmt.Sprintf("%s:%d", *host, *port))
	if err != nil {
		log.Fatal(err)
	}
	announce(*host, listener.Addr().(*net.TCPAddr).Port)
	mux := http.NewServeMux()
	mux.HandleFunc("/ws/echo", echo(*fault))
	log.Fatal(http.Serve(listener, mux))
}
