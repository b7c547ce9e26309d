// A starter Server-Sent Events server: the users' events at /api/v1/events, what
// `npm run check-server -- sse` checks (5 checks).
//
//	cd starters/go/complete/sse && go build -o sse-server . && ./sse-server -port 8002
//	npm run check-server -- sse 127.0.0.1:8002
//
// Only Go 1.19's standard library. The stream carries the users' events: POST /api/v1/users
// creates one (user.created), DELETE /api/v1/users/{id} removes one (user.deleted).
// ?heartbeat=<seconds> (1-60, default 15) sets how often a quiet stream sends a comment.
// The last 1000 events are kept for clients that come back with Last-Event-ID; a client that
// falls 256 events behind is disconnected (it reconnects and resumes with Last-Event-ID).
//
// The parts marked "STUDENT PART" are what the lesson "Build your own server" asks a student to
// write; the rest is plumbing they are given.
//
// -fault NAME (or FAULT=NAME) breaks one thing on purpose, to see which checks catch it:
//
//	no-retry   the stream never sends retry:
//	no-resume  Last-Event-ID is ignored: a reconnecting client gets no replay
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
)

const (
	retryMilliseconds = 3000
	keptEvents        = 1000
	subscriberBacklog = 256
)

var emailPattern = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)

type event struct {
	ID   int
	Kind string
	Data interface{}
}

// eventLog numbers every event and keeps the last keptEvents of them for clients that resume.
type eventLog struct {
	lock        sync.Mutex
	nextID      int
	kept        []event
	subscribers map[chan event]bool
}

func (l *eventLog) publish(kind string, data interface{}) {
	l.lock.Lock()
	defer l.lock.Unlock()
	published := event{ID: l.nextID, Kind: kind, Data: data}
	l.nextID++
	l.kept = append(l.kept, published)
	if len(l.kept) > keptEvents {
		l.kept = l.kept[len(l.kept)-keptEvents:]
	}
	for subscriber := range l.subscribers {
		select {
		case subscriber <- published:
		default: // too far behind: end its stream; it resumes with Last-Event-ID
			delete(l.subscribers, subscriber)
			close(subscriber)
		}
	}
}

// subscribe gives the events after lastID (none when lastID < 0) and a channel of the new ones,
// in one step under the lock, so no event falls between the replay and the live ones.
func (l *eventLog) subscribe(lastID int) ([]event, chan event) {
	l.lock.Lock()
	defer l.lock.Unlock()
	var backlog []event
	for _, kept := range l.kept {
		if lastID >= 0 && kept.ID > lastID {
			backlog = append(backlog, kept)
		}
	}
	live := make(chan event, subscriberBacklog)
	l.subscribers[live] = true
	return backlog, live
}

func (l *eventLog) unsubscribe(live chan event) {
	l.lock.Lock()
	defer l.lock.Unlock()
	if l.subscribers[live] {
		delete(l.subscribers, live)
		close(live)
	}
}

type server struct {
	log   *eventLog
	fault string
	lock  sync.Mutex
	users map[int]map[string]interface{}
	next  int
}

func problem(w http.ResponseWriter, status int, detail string) {
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]interface{}{"type": "about:blank", "title": detail, "status": status})
}

// ── STUDENT PART: the event stream — headers, retry:, id:/event:/data:, heartbeats, resume ──

// frame writes one event in the text/event-stream format: fields, then a blank line.
func frame(w http.ResponseWriter, sent event) error {
	data, _ := json.Marshal(sent.Data) // one line: JSON has no raw newlines
	_, err := fmt.Fprintf(w, "id: %d\nevent: %s\ndata: %s\n\n", sent.ID, sent.Kind, data)
	return err
}

// streamParameters reads ?heartbeat= and the id to resume after (Last-Event-ID, or ?lastEventId=
// for a first connection that wants a replay); -1 means "no replay".
func streamParameters(r *http.Request) (time.Duration, int, error) {
	heartbeat, lastID := 15, -1
	var err error
	if text := r.URL.Query().Get("heartbeat"); text != "" {
		if heartbeat, err = strconv.Atoi(text); err != nil || heartbeat < 1 || heartbeat > 60 {
			return 0, 0, fmt.Errorf("heartbeat must be 1-60 seconds")
		}
	}
	last := r.Header.Get("Last-Event-ID")
	if last == "" {
		last = r.URL.Query().Get("lastEventId")
	}
	if last != "" {
		if lastID, err = strconv.Atoi(last); err != nil {
			return 0, 0, fmt.Errorf("Last-Event-ID must be a whole number")
		}
	}
	return time.Duration(heartbeat) * time.Second, lastID, nil
}

func (s *server) events(w http.ResponseWriter, r *http.Request) {
	heartbeat, lastID, err := streamParameters(r)
	if err != nil {
		problem(w, http.StatusBadRequest, err.Error())
		return
	}
	flusher, canFlush := w.(http.Flusher)
	if !canFlush {
		problem(w, http.StatusInternalServerError, "this connection cannot stream")
		return
	}
	if s.fault == "no-resume" {
		lastID = -1
	}
	backlog, live := s.log.subscribe(lastID)
	defer s.log.unsubscribe(live)
	w.Header().Set("Content-Type", "text/event-stream; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	if s.fault != "no-retry" {
		fmt.Fprintf(w, "retry: %d\n\n", retryMilliseconds)
	}
	for _, missed := range backlog {
		_ = frame(w, missed)
	}
	flusher.Flush() // net/http buffers what a handler writes: without Flush nothing leaves yet
	for {
		select {
		case <-r.Context().Done(): // the client went away
			return
		case next, open := <-live:
			if !open || frame(w, next) != nil {
				return
			}
		case <-time.After(heartbeat):
			if _, err := fmt.Fprint(w, ": keep-alive\n\n"); err != nil {
				return
			}
		}
		flusher.Flush()
	}
}

// ── end of STUDENT PART ──

// createUser is the smallest POST /api/v1/users that makes an event; the REST starter has the full one.
func (s *server) createUser(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Name  string `json:"name"`
		Email string `json:"email"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 64<<10)).Decode(&body); err != nil {
		problem(w, http.StatusBadRequest, "the body is not valid JSON")
		return
	}
	if strings.TrimSpace(body.Name) == "" || !emailPattern.MatchString(body.Email) {
		problem(w, http.StatusUnprocessableEntity, "name and a valid email are required")
		return
	}
	s.lock.Lock()
	user := map[string]interface{}{"id": s.next, "name": strings.TrimSpace(body.Name), "email": body.Email}
	s.users[s.next] = user
	s.next++
	s.lock.Unlock()
	s.log.publish("user.created", user)
	w.Header().Set("Location", fmt.Sprintf("/api/v1/users/%d", user["id"]))
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusCreated)
	_ = json.NewEncoder(w).Encode(user)
}

func (s *server) deleteUser(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/api/v1/users/"))
	s.lock.Lock()
	_, found := s.users[id]
	delete(s.users, id)
	s.lock.Unlock()
	if err != nil || !found {
		problem(w, http.StatusNotFound, "no such user")
		return
	}
	s.log.publish("user.deleted", map[string]interface{}{"id": id})
	w.WriteHeader(http.StatusNoContent)
}

// only lets one method through; anything else is 405 with Allow.
func only(method string, handler http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.Method != method {
			w.Header().Set("Allow", method)
			problem(w, http.StatusMethodNotAllowed, r.Method+" is not allowed here")
			return
		}
		handler(w, r)
	}
}

func main() {
	host := flag.String("host", "127.0.0.1", "address to listen on; 0.0.0.0 in class, where Wirelab on the teacher's laptop connects to yours")
	port := flag.Int("port", 8002, "port; 0 picks a free one (printed)")
	fault := flag.String("fault", os.Getenv("FAULT"), "break one thing on purpose: no-retry, no-resume")
	flag.Parse()
	if *fault != "" && *fault != "no-retry" && *fault != "no-resume" {
		log.Fatalf("unknown -fault %q", *fault)
	}
	listener, err := net.Listen("tcp", fmt.Sprintf("%s:%d", *host, *port))
	if err != nil {
		log.Fatal(err)
	}
	announce(*host, listener.Addr().(*net.TCPAddr).Port)
	s := &server{log: &eventLog{nextID: 1, subscribers: map[chan event]bool{}}, fault: *fault, users: map[int]map[string]interface{}{}, next: 1}
	mux := http.NewServeMux()
	mux.HandleFunc("/api/v1/events", only(http.MethodGet, s.events))
	mux.HandleFunc("/api/v1/users", only(http.MethodPost, s.createUser))
	mux.HandleFunc("/api/v1/users/", only(http.MethodDelete, s.deleteUser))
	log.Fatal(http.Serve(listener, mux))
}
