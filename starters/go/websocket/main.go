// A WebSocket echo server at /ws/echo for you to finish: what `npm run check-server -- websocket` checks.
// Эхо-сервер WebSocket на /ws/echo, который вам предстоит дописать.
//
//	cd starters/go && go mod tidy && go build -o echo-server ./websocket && ./echo-server -port 8001   (in class: -host 0.0.0.0)
//	npm run check-server -- websocket 127.0.0.1:8001
//
// gorilla/websocket does the protocol's work: the handshake, pongs, joining fragments, the closing
// handshake. Each TODO is what it leaves to you and names the checks it makes pass; as it is, the
// server answers every message with a placeholder. The complete version: ../complete/websocket.
package main

import (
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"

	"github.com/gorilla/websocket"
)

var upgrader = websocket.Upgrader{
	// The checks and your own page connect from this machine; a real service would check Origin.
	CheckOrigin: func(*http.Request) bool { return true },
}

func echo(w http.ResponseWriter, r *http.Request) {
	conn, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		return // gorilla has answered the broken handshake with 400
	}
	defer conn.Close()
	for {
		kind, message, err := conn.ReadMessage()
		if err != nil {
			return // a close frame (gorilla answered it) or a protocol error (gorilla sent 1002)
		}
		// TODO [invalid-utf8-1007]: gorilla hands over a text message that is not UTF-8 as it is;
		//   RFC 6455 §8.1 wants the connection failed with 1007 (utf8.Valid, websocket.FormatCloseMessage).
		// СДЕЛАЙТЕ: текстовое сообщение не в UTF-8 — закройте соединение кодом 1007 (RFC 6455 §8.1).

		// TODO [text-echo, binary-echo, fragmented-echo, ping-between-fragments]: send the message back
		//   unchanged and of the same kind (conn.WriteMessage(kind, message)).
		// СДЕЛАЙТЕ: отправьте сообщение обратно без изменений и того же вида (conn.WriteMessage).
		_, _ = kind, message
		if err := conn.WriteMessage(websocket.TextMessage, []byte("TODO: echo")); err != nil {
			return
		}
	}
}

func main() {
	host := flag.String("host", "127.0.0.1", "address to listen on; 0.0.0.0 in class, where Wirelab on the teacher's laptop connects to yours")
	port := flag.Int("port", 8001, "port; 0 picks a free one (printed)")
	flag.Parse()
	listener, err := net.Listen("tcp", fmt.Sprintf("%s:%d", *host, *port))
	if err != nil {
		log.Fatal(err)
	}
	announce(*host, listener.Addr().(*net.TCPAddr).Port)
	mux := http.NewServeMux()
	mux.HandleFunc("/ws/echo", echo)
	log.Fatal(http.Serve(listener, mux))
}
