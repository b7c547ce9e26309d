// A starter long-polling server: what lesson 09 teaches and `npm run check-server -- long-polling`
// checks (6 checks).
//
//	cd starters/go && go build -o long-polling-server ./complete/long-polling && ./long-polling-server -port 8005
//	npm run check-server -- long-polling 127.0.0.1:8005
//
//	POST   /api/v1/users          {"name", "email"} → 201 and the user; makes a user.created event
//	DELETE /api/v1/users/{id}     204; makes a user.deleted event
//	GET    /api/v1/poll?since=<cursor>&timeout=<0..30 s>
//	       since=now: at once, no events, the current cursor;
//	       events after `since` kept: 200 at once {"events": [...], "cursor": <last id>};
//	       none: held until one happens (200) or until `timeout` (204, no body: ask again with the same since)
//
// Only Go 1.19's standard library (net/http). Every event gets the next id; the answer is computed
// from the kept events each time, so an event between two polls comes with the next one (not lost)
// and one at or before the cursor never again. A held poll waits on a channel the store closes at
// the next event (one channel per event, so every waiting poll wakes), or on the timeout, or on
// the client going away (the request's context).
//
// The parts marked "STUDENT PART" are what the lesson "Build your own server" asks a student to
// write; the rest is plumbing they are given.
//
// -fault NAME (or FAULT=NAME) breaks one thing on purpose, to see which checks catch it:
//
//	no-hold             answers 204 at once instead of holding the request
//	lost-between-polls  answers only events that happen while the request is held
//	cacheable           no Cache-Control: no-store
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
	keptEvents = 1000
	maxHold    = 30 // seconds
	maxBatch   = 100
)

var emailPattern = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)

type event struct {
	ID   int         `json:"id"`
	Type string      `json:"type"`
	At   string      `json:"at"`
	Data interface{} `json:"data"`
}

// store keeps the users and the last keptEvents events; changed is closed (and replaced) at each event.
type store struct {
	lock    sync.Mutex
	users   map[int]map[string]interface{}
	nextID  int
	events  []event
	lastID  int
	changed chan struct{}
}

func (s *store) publish(kind string, data interface{}) {
	s.lastID++
	s.events = append(s.events, event{ID: s.lastID, Type: kind, At: time.Now().UTC().Format(time.RFC3339Nano), Data: data})
	if len(s.events) > keptEvents {
		s.events = s.events[len(s.events)-keptEvents:]
	}
	close(s.changed) // wakes every held poll
	s.changed = make(chan struct{})
}

// after gives the kept events after the cursor, and the channel that closes at the next event.
func (s *store) after(since int) ([]event, chan struct{}) {
	s.lock.Lock()
	defer s.lock.Unlock()
	var found []event
	for _, each := range s.events {
		if each.ID > since {
			found = append(found, each)
		}
	}
	return found, s.changed
}

type server struct {
	store *store
	fault string
}

func (s *server) headers(w http.ResponseWriter) {
	// ── STUDENT PART: no-store ──
	if s.fault != "cacheable" {
		w.Header().Set("Cache-Control", "no-store") // the same URL answers differently each time (RFC 9111 §5.2.2.5)
	}
	// ── end of STUDENT PART ──
}

func (s *server) writeJSON(w http.ResponseWriter, status int, body interface{}) {
	s.headers(w)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(body)
}

func (s *server) problem(w http.ResponseWriter, status int, detail string) {
	s.headers(w)
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]interface{}{"type": "about:blank", "title": http.StatusText(status), "status": status, "detail": detail})
}

func (s *server) createUser(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Name  *string `json:"name"`
		Email *string `json:"email"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 64*1024)).Decode(&body); err != nil {
		s.problem(w, http.StatusBadRequest, "the body is not JSON")
		return
	}
	if body.Name == nil || strings.TrimSpace(*body.Name) == "" || body.Email == nil || !emailPattern.MatchString(*body.Email) {
		s.problem(w, http.StatusUnprocessableEntity, "name must not be empty and email must look like x@y.z")
		return
	}
	s.store.lock.Lock()
	user := map[string]interface{}{"id": s.store.nextID, "name": strings.TrimSpace(*body.Name), "email": *body.Email}
	s.store.users[s.store.nextID] = user
	s.store.nextID++
	s.store.publish("user.created", user)
	s.store.lock.Unlock()
	w.Header().Set("Location", fmt.Sprintf("/api/v1/users/%v", user["id"]))
	s.writeJSON(w, http.StatusCreated, user)
}

func (s *server) deleteUser(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/api/v1/users/"))
	s.store.lock.Lock()
	_, found := s.store.users[id]
	if err == nil && found {
		delete(s.store.users, id)
		s.store.publish("user.deleted", map[string]interface{}{"id": id})
	}
	s.store.lock.Unlock()
	if err != nil || !found {
		s.problem(w, http.StatusNotFound, "no such user")
		return
	}
	s.headers(w)
	w.WriteHeader(http.StatusNoContent)
}

func (s *server) poll(w http.ResponseWriter, r *http.Request) {
	query := r.URL.Query()
	timeoutText := query.Get("timeout")
	if timeoutText == "" {
		timeoutText = "10"
	}
	timeout, err := strconv.Atoi(timeoutText)
	if err != nil || timeout < 0 || timeout > maxHold {
		s.problem(w, http.StatusBadRequest, fmt.Sprintf("timeout must be 0..%d seconds", maxHold))
		return
	}
	if query.Get("since") == "now" {
		s.store.lock.Lock()
		cursor := s.store.lastID
		s.store.lock.Unlock()
		s.writeJSON(w, http.StatusOK, map[string]interface{}{"events": []event{}, "cursor": cursor})
		return
	}
	// ── STUDENT PART: long polling ──
	since, err := strconv.Atoi(query.Get("since"))
	if err != nil || since < 0 {
		s.problem(w, http.StatusBadRequest, "since must be a whole number or now") // the client's mistake, at once
		return
	}
	started := time.Now()
	events, changed := s.store.after(since) // the events made between two polls are not lost
	if s.fault == "lost-between-polls" {
		events = nil
	}
	if len(events) == 0 && timeout > 0 && s.fault != "no-hold" {
		select { // hold the request until an event, the timeout or the client going away
		case <-changed:
			events, _ = s.store.after(since)
		case <-time.After(time.Duration(timeout) * time.Second):
		case <-r.Context().Done():
			return
		}
	}
	// ── end of STUDENT PART ──
	if len(events) == 0 {
		s.headers(w)
		w.WriteHeader(http.StatusNoContent) // nothing new: ask again with the same since
		return
	}
	batch := events
	if len(batch) > maxBatch {
		batch = batch[:maxBatch]
	}
	s.writeJSON(w, http.StatusOK, map[string]interface{}{
		"events": batch, "cursor": batch[len(batch)-1].ID, "held_ms": time.Since(started).Milliseconds(), "more": len(events) > maxBatch,
	})
}

// only answers other methods with 405 and Allow.
func only(method string, handler http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.Method != method {
			w.Header().Set("Allow", method)
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		handler(w, r)
	}
}

func main() {
	host := flag.String("host", "127.0.0.1", "address to listen on; 0.0.0.0 in class, where Wirelab on the teacher's laptop connects to yours")
	port := flag.Int("port", 8005, "port; 0 picks a free one (printed)")
	fault := flag.String("fault", os.Getenv("FAULT"), "break one thing on purpose: no-hold, lost-between-polls, cacheable")
	flag.Parse()
	if *fault != "" && *fault != "no-hold" && *fault != "lost-between-polls" && *fault != "cacheable" {
		log.Fatalf("unknown -fault %q", *fault)
	}
	listener, err := net.Listen("tcp", fmt.Sprintf("%s:%d", *host, *port))
	if err != nil {
		log.Fatal(err)
	}
	announce(*host, listener.Addr().(*net.TCPAddr).Port)
	s := &server{store: &store{users: map[int]map[string]interface{}{}, nextID: 1, changed: make(chan struct{})}, fault: *fault}
	mux := http.NewServeMux()
	mux.HandleFunc("/api/v1/poll", only(http.MethodGet, s.poll))
	mux.HandleFunc("/api/v1/users", only(http.MethodPost, s.createUser))
	mux.HandleFunc("/api/v1/users/", only(http.MethodDelete, s.deleteUser))
	log.Fatal(http.Serve(listener, mux))
}
