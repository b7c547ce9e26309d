// A starter REST server: the users resource at /api/v1/users, what `npm run check-server -- rest`
// checks (34 checks).
//
//	cd starters/go/complete/rest && go build -o rest-server . && ./rest-server -port 8000
//	npm run check-server -- rest 127.0.0.1:8000
//
// Only Go 1.19's standard library (net/http, encoding/json): no packages to install. Everything
// lives in memory. Go 1.19's ServeMux matches paths only, not methods, so routeUsers picks the
// handler by method itself and answers any other method with 405 and Allow.
//
// The parts marked "STUDENT PART" are what the lesson "Build your own server" asks a student to
// write; the rest is plumbing they are given.
//
// -fault NAME (or FAULT=NAME) breaks one thing on purpose, to see which checks catch it:
//
//	no-etag       no ETag header; If-None-Match and If-Match are ignored
//	plain-errors  errors as application/json instead of application/problem+json
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"mime"
	"net"
	"net/http"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
)

const usersPath = "/api/v1/users"

var emailPattern = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)

// User is what the API shows; Version is ours alone and makes the ETag.
type User struct {
	ID       int64                  `json:"id"`
	Name     string                 `json:"name"`
	Email    string                 `json:"email"`
	Status   string                 `json:"status"`
	Roles    []string               `json:"roles"`
	Metadata map[string]interface{} `json:"metadata"`
	Phone    *string                `json:"phone"`
	Version  int                    `json:"-"`
}

// store keeps the users in memory; net/http serves each request on its own goroutine, hence the lock.
type store struct {
	sync.Mutex
	users  map[int64]*User
	nextID int64
}

func newStore() *store {
	s := &store{users: map[int64]*User{}, nextID: 1}
	for _, name := range []string{"Ada Lovelace", "Alan Turing", "Grace Hopper"} {
		s.add(name, strings.ToLower(strings.Fields(name)[0])+"@example.com")
	}
	return s
}

func (s *store) add(name, email string) *User {
	user := &User{ID: s.nextID, Name: strings.TrimSpace(name), Email: email, Status: "active",
		Roles: []string{"reader"}, Metadata: map[string]interface{}{}, Version: 1}
	s.users[user.ID] = user
	s.nextID++
	return user
}

func (s *store) emailTaken(email string, exceptID int64) bool {
	for _, user := range s.users {
		if strings.EqualFold(user.Email, email) && user.ID != exceptID {
			return true
		}
	}
	return false
}

func (s *store) sorted() []*User {
	list := make([]*User, 0, len(s.users))
	for _, user := range s.users {
		list = append(list, user)
	}
	sort.Slice(list, func(i, j int) bool { return list[i].ID < list[j].ID })
	return list
}

type fieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

type api struct {
	users *store
	fault string
}

// ── STUDENT PART: errors as problem details (RFC 9457) ──

// problem answers with RFC 9457 problem details; the plain-errors fault sends the same body as plain JSON.
func (a *api) problem(w http.ResponseWriter, status int, detail string, errors []fieldError) {
	body := map[string]interface{}{"type": "about:blank", "title": http.StatusText(status), "status": status, "detail": detail}
	if len(errors) > 0 {
		body["errors"] = errors
	}
	contentType := "application/problem+json"
	if a.fault == "plain-errors" {
		contentType = "application/json"
	}
	writeJSON(w, status, contentType, body)
}

// ── end of STUDENT PART ──

func writeJSON(w http.ResponseWriter, status int, contentType string, body interface{}) {
	w.Header().Set("Content-Type", contentType)
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}

// ── STUDENT PART: ETag, If-None-Match, If-Match (RFC 9110 §8.8.3, §13.1) ──

func etag(user *User) string { return fmt.Sprintf(`"u%d-v%d"`, user.ID, user.Version) }

func (a *api) setETag(w http.ResponseWriter, user *User) {
	if a.fault != "no-etag" {
		w.Header().Set("ETag", etag(user))
	}
}

// listHas says whether a header's comma-separated list of entity tags holds tag (or "*" when star counts).
func listHas(header, tag string, star bool) bool {
	for _, item := range strings.Split(header, ",") {
		item = strings.TrimSpace(item)
		if item == tag || (star && item == "*") {
			return true
		}
	}
	return false
}

// noneMatch: If-None-Match compares weakly (RFC 9110 §13.1.2), so W/"x" names the same version as "x".
func noneMatch(header, tag string) bool {
	for _, item := range strings.Split(header, ",") {
		item = strings.TrimPrefix(strings.TrimSpace(item), "W/")
		if item == tag || item == "*" {
			return true
		}
	}
	return false
}

// preconditionFails: If-Match lets a write through only when the client holds the current version.
func (a *api) preconditionFails(r *http.Request, user *User) bool {
	wanted := r.Header.Get("If-Match")
	return a.fault != "no-etag" && wanted != "" && !listHas(wanted, etag(user), true)
}

// ── end of STUDENT PART ──

// ── STUDENT PART: reading and validating the body (415, 400, 422) ──

// readBody gives the fields of a JSON object body, or writes the error answer and gives nil.
// full: PUT replaces the whole user, so every field is required.
func (a *api) readBody(w http.ResponseWriter, r *http.Request, full bool) map[string]interface{} {
	mediaType, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mediaType != "application/json" {
		a.problem(w, http.StatusUnsupportedMediaType, "send the body as application/json", nil)
		return nil
	}
	var body interface{}
	decoder := json.NewDecoder(http.MaxBytesReader(w, r.Body, 64<<10)) // a user is small; 64 KiB is plenty
	if err := decoder.Decode(&body); err != nil {
		a.problem(w, http.StatusBadRequest, "the body is not valid JSON", nil)
		return nil
	}
	fields, isObject := body.(map[string]interface{})
	if !isObject {
		a.problem(w, http.StatusUnprocessableEntity, "some fields are invalid", []fieldError{{"", "the body must be a JSON object"}})
		return nil
	}
	if errors := validate(fields, full); len(errors) > 0 {
		a.problem(w, http.StatusUnprocessableEntity, "some fields are invalid", errors)
		return nil
	}
	return fields
}

func validate(fields map[string]interface{}, full bool) []fieldError {
	var errors []fieldError
	required := []string{"name", "email"}
	if full {
		required = append(required, "status", "roles", "metadata", "phone")
	}
	for _, field := range required {
		if _, present := fields[field]; !present {
			errors = append(errors, fieldError{field, "is required"})
		}
	}
	if name, present := fields["name"]; present {
		text, isText := name.(string)
		if !isText || strings.TrimSpace(text) == "" || len([]rune(text)) > 100 {
			errors = append(errors, fieldError{"name", "must be 1..100 characters"})
		}
	}
	if email, present := fields["email"]; present {
		if text, isText := email.(string); !isText || !emailPattern.MatchString(text) {
			errors = append(errors, fieldError{"email", "must look like x@y.z"})
		}
	}
	if status, present := fields["status"]; present && status != "active" && status != "inactive" && status != "banned" {
		errors = append(errors, fieldError{"status", "must be active, inactive or banned"})
	}
	return append(errors, validateOptional(fields)...)
}

func validateOptional(fields map[string]interface{}) []fieldError {
	var errors []fieldError
	if roles, present := fields["roles"]; present {
		if list, isList := roles.([]interface{}); !isList || !allStrings(list) {
			errors = append(errors, fieldError{"roles", "must be a list of strings"})
		}
	}
	if metadata, present := fields["metadata"]; present {
		if _, isObject := metadata.(map[string]interface{}); !isObject {
			errors = append(errors, fieldError{"metadata", "must be an object"})
		}
	}
	if phone, present := fields["phone"]; present && phone != nil {
		if _, isText := phone.(string); !isText {
			errors = append(errors, fieldError{"phone", "must be a string or null"})
		}
	}
	return errors
}

func allStrings(list []interface{}) bool {
	for _, item := range list {
		if _, isText := item.(string); !isText {
			return false
		}
	}
	return true
}

// ── end of STUDENT PART ──

// apply copies the fields a client may set onto the user; validate has checked their types.
func apply(user *User, fields map[string]interface{}) {
	user.Name = strings.TrimSpace(fields["name"].(string))
	user.Email = fields["email"].(string)
	if status, present := fields["status"]; present {
		user.Status = status.(string)
	}
	if roles, present := fields["roles"]; present {
		user.Roles = []string{}
		for _, role := range roles.([]interface{}) {
			user.Roles = append(user.Roles, role.(string))
		}
	}
	if metadata, present := fields["metadata"]; present {
		user.Metadata = metadata.(map[string]interface{})
	}
	if phone, present := fields["phone"]; present {
		user.Phone = nil
		if text, isText := phone.(string); isText {
			user.Phone = &text
		}
	}
}

// ── STUDENT PART: the collection — list with pages and Link, create with 201 and Location ──

func (a *api) listUsers(w http.ResponseWriter, r *http.Request) {
	page, limit, err := pageAndLimit(r)
	if err != nil {
		a.problem(w, http.StatusBadRequest, "page and limit must be whole numbers", nil)
		return
	}
	a.users.Lock()
	all := a.users.sorted()
	a.users.Unlock()
	items := []*User{}
	for index := (page - 1) * limit; index < page*limit && index < len(all); index++ {
		items = append(items, all[index])
	}
	last := (len(all) + limit - 1) / limit
	if last < 1 {
		last = 1
	}
	link := func(target int, rel string) string {
		return fmt.Sprintf(`<%s?page=%d&limit=%d>; rel="%s"`, usersPath, target, limit, rel)
	}
	links := []string{link(1, "first"), link(last, "last")}
	if page < last {
		links = append(links, link(page+1, "next"))
	}
	if page > 1 {
		links = append(links, link(page-1, "prev"))
	}
	w.Header().Set("Link", strings.Join(links, ", "))
	writeJSON(w, http.StatusOK, "application/json", map[string]interface{}{"items": items, "page": page, "limit": limit, "total": len(all)})
}

// pageAndLimit reads ?page= (from 1) and ?limit= (1..100, default 10).
func pageAndLimit(r *http.Request) (int, int, error) {
	page, limit := 1, 10
	var err error
	if text := r.URL.Query().Get("page"); text != "" {
		if page, err = strconv.Atoi(text); err != nil {
			return 0, 0, err
		}
	}
	if text := r.URL.Query().Get("limit"); text != "" {
		if limit, err = strconv.Atoi(text); err != nil {
			return 0, 0, err
		}
	}
	return clamp(page, 1, 1<<30), clamp(limit, 1, 100), nil
}

func clamp(value, low, high int) int {
	if value < low {
		return low
	}
	if value > high {
		return high
	}
	return value
}

func (a *api) createUser(w http.ResponseWriter, r *http.Request) {
	fields := a.readBody(w, r, false)
	if fields == nil {
		return
	}
	a.users.Lock()
	defer a.users.Unlock()
	if a.users.emailTaken(fields["email"].(string), 0) {
		a.problem(w, http.StatusConflict, "this email is taken", []fieldError{{"email", "is taken"}})
		return
	}
	user := a.users.add(fields["name"].(string), fields["email"].(string))
	apply(user, fields)
	w.Header().Set("Location", fmt.Sprintf("%s/%d", usersPath, user.ID))
	a.setETag(w, user)
	writeJSON(w, http.StatusCreated, "application/json", user)
}

// ── end of STUDENT PART ──

// ── STUDENT PART: one user — GET with 304, PUT replacing it (idempotent), DELETE with 204 ──

func (a *api) getUser(w http.ResponseWriter, r *http.Request, user *User) {
	a.setETag(w, user)
	if a.fault != "no-etag" && noneMatch(r.Header.Get("If-None-Match"), etag(user)) {
		w.WriteHeader(http.StatusNotModified) // the client has this version: no body
		return
	}
	writeJSON(w, http.StatusOK, "application/json", user)
}

func (a *api) replaceUser(w http.ResponseWriter, r *http.Request, user *User) {
	if a.preconditionFails(r, user) {
		a.setETag(w, user)
		a.problem(w, http.StatusPreconditionFailed, "the user changed since you read it", nil)
		return
	}
	fields := a.readBody(w, r, true)
	if fields == nil {
		return
	}
	if a.users.emailTaken(fields["email"].(string), user.ID) {
		a.problem(w, http.StatusConflict, "this email is taken", []fieldError{{"email", "is taken"}})
		return
	}
	before, _ := json.Marshal(user)
	apply(user, fields)
	after, _ := json.Marshal(user)
	if string(before) != string(after) { // a repeated PUT changes nothing, so the version (and ETag) stays
		user.Version++
	}
	a.setETag(w, user)
	writeJSON(w, http.StatusOK, "application/json", user)
}

func (a *api) deleteUser(w http.ResponseWriter, r *http.Request, user *User) {
	if a.preconditionFails(r, user) {
		a.setETag(w, user)
		a.problem(w, http.StatusPreconditionFailed, "the user changed since you read it", nil)
		return
	}
	delete(a.users.users, user.ID)
	w.WriteHeader(http.StatusNoContent)
}

// ── end of STUDENT PART ──

// ── STUDENT PART: routing by method, 404 and 405 with Allow ──

func (a *api) routeUsers(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == usersPath {
		switch r.Method {
		case http.MethodGet, http.MethodHead:
			a.listUsers(w, r)
		case http.MethodPost:
			a.createUser(w, r)
		default:
			a.notAllowed(w, r, "GET, HEAD, POST")
		}
		return
	}
	id, err := strconv.ParseInt(strings.TrimPrefix(r.URL.Path, usersPath+"/"), 10, 64)
	if err != nil || !strings.HasPrefix(r.URL.Path, usersPath+"/") {
		a.problem(w, http.StatusNotFound, "nothing at "+r.URL.Path, nil)
		return
	}
	a.users.Lock()
	defer a.users.Unlock()
	user := a.users.users[id]
	handlers := map[string]func(http.ResponseWriter, *http.Request, *User){
		http.MethodGet: a.getUser, http.MethodHead: a.getUser, http.MethodPut: a.replaceUser, http.MethodDelete: a.deleteUser,
	}
	handler, allowed := handlers[r.Method]
	switch {
	case !allowed:
		a.notAllowed(w, r, "DELETE, GET, HEAD, PUT")
	case user == nil:
		a.problem(w, http.StatusNotFound, fmt.Sprintf("no user %d", id), nil)
	default:
		handler(w, r, user)
	}
}

func (a *api) notAllowed(w http.ResponseWriter, r *http.Request, allow string) {
	w.Header().Set("Allow", allow) // RFC 9110 §15.5.6: a 405 MUST list what is allowed
	a.problem(w, http.StatusMethodNotAllowed, r.Method+" is not allowed here", nil)
}

// ── end of STUDENT PART ──

func main() {
	host := flag.String("host", "127.0.0.1", "address to listen on; 0.0.0.0 in class, where Wirelab on the teacher's laptop connects to yours")
	port := flag.Int("port", 8000, "port; 0 picks a free one (printed)")
	fault := flag.String("fault", os.Getenv("FAULT"), "break one thing on purpose: no-etag, plain-errors")
	flag.Parse()
	if *fault != "" && !strings.Contains(" no-etag plain-errors ", " "+*fault+" ") {
		log.Fatalf("unknown -fault %q", *fault)
	}
	listener, err := net.Listen("tcp", fmt.Sprintf("%s:%d", *host, *port))
	if err != nil {
		log.Fatal(err)
	}
	announce(*host, listener.Addr().(*net.TCPAddr).Port)
	users := &api{users: newStore(), fault: *fault}
	mux := http.NewServeMux()
	mux.HandleFunc(usersPath, users.routeUsers)
	mux.HandleFunc(usersPath+"/", users.routeUsers)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		users.problem(w, http.StatusNotFound, "nothing at "+r.URL.Path, nil)
	})
	log.Fatal(http.Serve(listener, mux))
}
