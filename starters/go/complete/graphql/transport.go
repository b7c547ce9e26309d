package main

// graphql-transport-ws (github.com/enisdenjo/graphql-ws, PROTOCOL.md) over gorilla/websocket:
// graphql-go runs each subscribe (Schema.Subscribe, a channel of responses); the messages, the
// connection's state and its close codes are written here, as the library has no transport.

import (
	"context"
	"encoding/json"
	"net/http"
	"sync"
	"time"

	"github.com/gorilla/websocket"
	graphql "github.com/graph-gophers/graphql-go"
)

const (
	transportProtocol = "graphql-transport-ws"
	initTimeout       = 3 * time.Second // no connection_init by then: close 4408
	writeTimeout      = 10 * time.Second
	maxMessage        = 64 * 1024
)

// Any origin may connect: the page that subscribes (Wirelab's, on the teacher's laptop) is not this server's.
var upgrader = websocket.Upgrader{Subprotocols: []string{transportProtocol}, CheckOrigin: func(*http.Request) bool { return true }}

// message is one graphql-transport-ws message; payload stays raw until its type says what it is.
type message struct {
	ID      *string         `json:"id,omitempty"`
	Type    string          `json:"type"`
	Payload json.RawMessage `json:"payload,omitempty"`
}

type subscribePayload struct {
	Query         *string                `json:"query"`
	OperationName *string                `json:"operationName"`
	Variables     map[string]interface{} `json:"variables"`
}

// subscription is one running operation; its pointer tells it from a later one under the same id.
type subscription struct{ stop context.CancelFunc }

// connection is one socket: its state and its live subscriptions by id; lock guards them, write
// lets one writer at a time (gorilla's rule), and is taken after lock when both are.
type connection struct {
	conn          *websocket.Conn
	server        *server
	write         sync.Mutex
	lock          sync.Mutex
	initialised   bool
	closing       bool // a close frame went out: nothing more is handled
	subscriptions map[string]*subscription
}

func (c *connection) send(out interface{}) error {
	encoded, _ := json.Marshal(out)
	c.write.Lock()
	defer c.write.Unlock()
	c.conn.SetWriteDeadline(time.Now().Add(writeTimeout))
	return c.conn.WriteMessage(websocket.TextMessage, encoded)
}

// close sends a close frame with the protocol's code (called with c.lock held); the reader then
// waits a second for the client's close frame.
func (c *connection) close(code int, reason string) {
	c.closing = true
	c.write.Lock()
	defer c.write.Unlock()
	c.conn.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, reason), time.Now().Add(writeTimeout))
	c.conn.SetReadDeadline(time.Now().Add(time.Second))
}

func (s *server) transport(w http.ResponseWriter, r *http.Request) {
	conn, err := upgrader.Upgrade(w, r, nil) // answers a request that is no handshake with 400 itself
	if err != nil {
		return
	}
	defer conn.Close()
	c := &connection{conn: conn, server: s, subscriptions: map[string]*subscription{}}
	ctx, cancel := context.WithCancel(r.Context())
	defer cancel() // the connection's end ends every subscription on it
	if conn.Subprotocol() != transportProtocol {
		c.lock.Lock()
		c.close(4406, "Subprotocol not acceptable")
		c.lock.Unlock()
	} else {
		go c.initDeadline(ctx)
	}
	conn.SetReadLimit(maxMessage)
	for {
		kind, data, err := conn.ReadMessage() // gorilla answers a close frame and pings itself
		if err != nil {
			return
		}
		c.lock.Lock()
		if !c.closing && !c.onMessage(ctx, kind, data) {
			c.close(4400, "Invalid message received")
		}
		c.lock.Unlock()
	}
}

func (c *connection) initDeadline(ctx context.Context) {
	select {
	case <-ctx.Done():
	case <-time.After(initTimeout):
		c.lock.Lock()
		defer c.lock.Unlock()
		if !c.initialised && !c.closing {
			c.close(4408, "Connection initialisation timeout")
		}
	}
}

// ── STUDENT PART: graphql-transport-ws ──

// onMessage handles one message (with c.lock held); false: it is not a valid one (the caller closes with 4400).
func (c *connection) onMessage(ctx context.Context, kind int, data []byte) bool {
	var in message
	if kind != websocket.TextMessage || json.Unmarshal(data, &in) != nil || in.Type == "" {
		return false
	}
	switch in.Type {
	case "connection_init":
		if c.initialised {
			c.close(4429, "Too many initialisation requests")
			return true
		}
		c.initialised = true
		c.send(message{Type: "connection_ack"})
	case "ping":
		c.send(message{Type: "pong"})
	case "pong":
	case "subscribe":
		return c.subscribe(ctx, in)
	case "complete":
		if in.ID == nil {
			return false
		}
		if running, live := c.subscriptions[*in.ID]; live && c.server.fault != "ignore-complete" {
			delete(c.subscriptions, *in.ID) // no next goes out for it from now on
			running.stop()
		}
	default:
		return false
	}
	return true
}

// subscribe starts an operation (called with c.lock held); false: the message is not valid.
func (c *connection) subscribe(ctx context.Context, in message) bool {
	var payload subscribePayload
	if in.ID == nil || *in.ID == "" || json.Unmarshal(in.Payload, &payload) != nil || payload.Query == nil {
		return false
	}
	id := *in.ID
	if !c.initialised {
		c.close(4401, "Unauthorized")
		return true
	}
	if running, live := c.subscriptions[id]; live {
		if c.server.fault != "duplicate-ids" {
			c.close(4409, "Subscriber for "+id+" already exists")
			return true
		}
		running.stop()
	}
	name := ""
	if payload.OperationName != nil {
		name = *payload.OperationName
	}
	operation, stop := context.WithCancel(ctx)
	// graphql-go calls the resolver (which starts listening) before Subscribe returns: an event from now on is delivered
	responses, err := c.server.schema.Subscribe(operation, *payload.Query, name, payload.Variables)
	if err != nil {
		stop()
		c.send(message{ID: &id, Type: "error", Payload: errorsPayload(err)})
		return true
	}
	running := &subscription{stop: stop}
	c.subscriptions[id] = running
	go c.deliver(id, running, responses)
	return true
}

// ── end of STUDENT PART ──

// deliver sends each response as next, then complete; a first response with errors and no data is
// an error message instead (the operation never ran). It reads the channel to its end, so
// graphql-go's goroutines finish; it sends nothing for an id the client completed.
func (c *connection) deliver(id string, running *subscription, responses <-chan interface{}) {
	defer running.stop()
	first := true
	for each := range responses {
		response, _ := each.(*graphql.Response)
		if response == nil {
			continue
		}
		out := message{ID: &id, Type: "next"}
		if first && len(response.Data) == 0 {
			out.Type = "error"
			out.Payload = errorsPayload(response.Errors)
		} else {
			out.Payload, _ = json.Marshal(response)
		}
		first = false
		c.sendWhileLive(id, running, out)
	}
	if c.forget(id, running) {
		c.send(message{ID: &id, Type: "complete"})
	}
}

// sendWhileLive sends `out` if the subscription is still the one under `id` (not completed or replaced).
func (c *connection) sendWhileLive(id string, running *subscription, out message) {
	c.lock.Lock()
	defer c.lock.Unlock()
	if c.subscriptions[id] == running {
		c.send(out)
	}
}

// forget drops the subscription if `id` is still it; true when it was (the server ends it: complete).
func (c *connection) forget(id string, running *subscription) bool {
	c.lock.Lock()
	defer c.lock.Unlock()
	if c.subscriptions[id] == running {
		delete(c.subscriptions, id)
		return true
	}
	return false
}

func errorsPayload(errs interface{}) json.RawMessage {
	if err, single := errs.(error); single {
		errs = []map[string]string{{"message": err.Error()}}
	}
	encoded, _ := json.Marshal(errs)
	return encoded
}
