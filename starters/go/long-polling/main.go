// A long-polling server for you to finish: what lesson 09 teaches and `npm run check-server --
// long-polling` checks (6 checks). Сервер long polling, который вам предстоит дописать.
//
//	cd starters/go && go build -o long-polling-server ./long-polling && ./long-polling-server -port 8005   (in class: -host 0.0.0.0)
//	npm run check-server -- long-polling 127.0.0.1:8005
//
//	POST   /api/v1/users          {"name", "email"} → 201 and the user; makes a user.created event
//	DELETE /api/v1/users/{id}     204; makes a user.deleted event
//	GET    /api/v1/poll?since=<cursor>&timeout=<0..30 s>
//	       since=now: at once, no events, the current cursor;
//	       events after `since` kept: 200 at once {"events": [...], "cursor": <last id>};
//	       none: held until one happens (200) or until `timeout` (204, no body: ask again with the same since)
//
// Only Go 1.19's standard library (net/http). The store numbers every event and keeps the last
// 1000; store.after(since) gives the kept events after a cursor and a channel the store closes at
// the next event. Each TODO in the STUDENT PARTs is a piece of long polling for you to write and
// names the checks it makes pass; as it is, a poll answers 204 at once. The complete version:
// ../complete/long-polling.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
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
}

func (s *server) headers(w http.ResponseWriter) {
	// ── STUDENT PART: no-store ──
	// TODO [no-store]: the same URL answers differently each time, so no cache on the way may keep an
	//   answer: set Cache-Control: no-store on every answer (RFC 9111 §5.2.2.5).
	// СДЕЛАЙТЕ: один и тот же URL каждый раз отвечает по-разному: запретите кэшам хранить ответы (Cache-Control: no-store).
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
	// TODO [bad-cursor-400]: a cursor that is not a whole number (?since=yesterday) is the client's
	//   mistake: answer 400 at once (s.problem) instead of reading it as 0.
	// СДЕЛАЙТЕ: курсор, который не целое число (?since=yesterday), — ошибка клиента: сразу ответьте 400.
	since, _ := strconv.Atoi(query.Get("since"))
	_ = since // for s.store.after(since) below
	started := time.Now()
	// TODO [missed-event-replayed]: an event made between two polls must not be lost: answer at once
	//   with the kept events after the cursor (events, changed := s.store.after(since)).
	// СДЕЛАЙТЕ: событие между двумя опросами не должно теряться: сразу отдайте сохранённые события после курсора (s.store.after(since)).
	var events []event
	if len(events) == 0 && timeout > 0 {
		// TODO [held-until-event, timeout-204]: nothing new yet: hold the request until the channel
		//   store.after gave closes (an event came: take the events after `since` again), `timeout`
		//   seconds pass (time.After) or the client goes away (r.Context().Done()): a select on the
		//   three. That is what makes it long polling.
		// СДЕЛАЙТЕ: нового пока нет — удерживайте запрос, пока не закроется канал от store.after, не пройдёт `timeout` секунд или клиент не уйдёт (select).
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
	flag.Parse()
	listener, err := net.Listen("tcp", fmt.Sprintf("%s:%d", *host, *port))
	if err != nil {
		log.Fatal(err)
	}
	announce(*host, listener.Addr().(*net.TCPAddr).Port)
	s := &server{store: &store{users: map[int]map[string]interface{}{}, nextID: 1, changed: make(chan struct{})}}
	mux := http.NewServeMux()
	mux.HandleFunc("/api/v1/poll", only(http.MethodGet, s.poll))
	mux.HandleFunc("/api/v1/users", only(http.MethodPost, s.createUser))
	mux.HandleFunc("/api/v1/users/", only(http.MethodDelete, s.deleteUser))
	log.Fatal(http.Serve(listener, mux))
}
