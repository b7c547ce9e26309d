// A starter GraphQL server: /graphql, what `npm run check-server -- graphql` checks (35 checks).
//
//	cd starters/go && go mod tidy      (once: README.md)
//	go build -o graphql-server ./complete/graphql && ./graphql-server -port 8004
//	npm run check-server -- graphql 127.0.0.1:8004
//
// A part of Wirelab's schema (schema.go): users and their posts, createUser, deleteUser, createPost
// and the userChanged subscription. graph-gophers/graphql-go parses, validates (with its MaxDepth)
// and runs the documents; the two transports around it are written here, as the library has none:
//
//	HTTP  GraphQL over HTTP: POST application/json, GET ?query=&variables=&operationName= (queries
//	      only: a mutation over GET is 405), the answer as application/graphql-response+json or
//	      application/json as Accept asks; a document that cannot run is 400 with the first and 200
//	      with the second; documents nested deeper than 8 levels are refused. Bodies up to 64 KiB.
//	WS    graphql-transport-ws on the same path (transport.go, gorilla/websocket), with its close
//	      codes 4400, 4401, 4406, 4408, 4409 and 4429.
//
// The parts marked "STUDENT PART" are what the lesson "Build your own server" asks a student to
// write; the rest is plumbing they are given.
//
// -fault NAME (or FAULT=NAME) breaks one thing on purpose, to see which checks catch it:
//
//	no-get            GET is not served (405): queries only over POST
//	json-only         always application/json with 200, whatever Accept says
//	no-depth-limit    any depth runs
//	ignore-complete   a client's complete does not stop its subscription
//	duplicate-ids     a second subscribe with a live id replaces it instead of closing 4409
//	no-subscriptions  /graphql does not upgrade to WebSocket
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"mime"
	"net"
	"net/http"
	"os"
	"strings"

	"github.com/gorilla/websocket"
	graphql "github.com/graph-gophers/graphql-go"
)

const (
	graphqlResponse = "application/graphql-response+json"
	maxBody         = 64 * 1024
)

var faults = []string{"no-get", "json-only", "no-depth-limit", "ignore-complete", "duplicate-ids", "no-subscriptions"}

type server struct {
	schema *graphql.Schema
	store  *store
	fault  string
}

// refusal is a request that did not run: its errors, and the status when it is not the media type's (400 or 200).
type refusal struct {
	status  int
	errors  []map[string]interface{}
	headers map[string]string
}

func refused(status int, message string) *refusal {
	return &refusal{status: status, errors: []map[string]interface{}{{"message": message}}}
}

// request is GraphQL over HTTP's parameters; extensions is read (it must be an object) and not used.
type request struct {
	Query         *string                `json:"query"`
	Variables     map[string]interface{} `json:"variables"`
	OperationName *string                `json:"operationName"`
	Extensions    map[string]interface{} `json:"extensions"`
}

// ── STUDENT PART: GraphQL over HTTP ──

// responseType is the media type to answer in: application/graphql-response+json when Accept names
// it before application/json (or there is no Accept); application/json for that or a wildcard; ""
// when neither is acceptable (406).
func (s *server) responseType(accept string) string {
	if s.fault == "json-only" {
		return "application/json"
	}
	if accept == "" {
		return graphqlResponse
	}
	for _, item := range strings.Split(accept, ",") {
		media := strings.ToLower(strings.TrimSpace(strings.SplitN(item, ";", 2)[0]))
		if media == graphqlResponse {
			return graphqlResponse
		}
		if media == "application/json" || media == "application/*" || media == "*/*" {
			return "application/json"
		}
	}
	return ""
}

// parameters reads a GET's URL or a POST's JSON body.
func (s *server) parameters(w http.ResponseWriter, r *http.Request) (*request, *refusal) {
	asked := &request{}
	switch {
	case r.Method == http.MethodGet && s.fault != "no-get":
		url := r.URL.Query()
		if url.Has("query") {
			query := url.Get("query")
			asked.Query = &query
		}
		if name := url.Get("operationName"); name != "" {
			asked.OperationName = &name
		}
		for parameter, into := range map[string]*map[string]interface{}{"variables": &asked.Variables, "extensions": &asked.Extensions} {
			if url.Has(parameter) && json.Unmarshal([]byte(url.Get(parameter)), into) != nil {
				return nil, refused(http.StatusBadRequest, parameter+" must be a JSON object")
			}
		}
	case r.Method == http.MethodPost:
		media, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
		if media != "application/json" {
			return nil, refused(http.StatusUnsupportedMediaType, "send application/json")
		}
		if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBody)).Decode(asked); err != nil {
			return nil, refused(http.StatusBadRequest, "the body is not a JSON object of query, variables, operationName (at most 64 KiB)")
		}
	default:
		allow := "GET, POST"
		if s.fault == "no-get" {
			allow = "POST"
		}
		answer := refused(http.StatusMethodNotAllowed, r.Method+" is not served here")
		answer.headers = map[string]string{"Allow": allow}
		return nil, answer
	}
	if asked.Query == nil {
		return nil, refused(http.StatusBadRequest, "a GraphQL request has a string query")
	}
	return asked, nil
}

// run validates and runs one request; a body to answer with 200, or why nothing ran.
func (s *server) run(ctx context.Context, method string, asked *request) (*graphql.Response, *refusal) {
	name := ""
	if asked.OperationName != nil {
		name = *asked.OperationName
	}
	if method == http.MethodGet { // GET is safe: a link or a prefetch may send it, so it never runs a mutation
		if errs := s.schema.ValidateWithVariables(*asked.Query, asked.Variables); len(errs) > 0 {
			return nil, &refusal{errors: asErrors(errs)}
		}
		if operationKind(*asked.Query, name) == "mutation" {
			answer := refused(http.StatusMethodNotAllowed, "Only queries may be sent with GET; send mutations with POST.")
			answer.headers = map[string]string{"Allow": "POST"}
			return nil, answer
		}
	}
	response := s.schema.Exec(ctx, *asked.Query, name, asked.Variables)
	// graphql-go answers no data when nothing ran: a syntax error, an unknown field, too deep (its
	// MaxDepth), bad variables, no such operation, a subscription (those go over WebSocket)
	if len(response.Data) == 0 {
		return nil, &refusal{errors: asErrors(response.Errors)}
	}
	return response, nil
}

// ── end of STUDENT PART ──

// asErrors turns graphql-go's errors into the response's "errors" entries (message, locations, path).
func asErrors(errs interface{}) []map[string]interface{} {
	encoded, _ := json.Marshal(errs)
	var entries []map[string]interface{}
	json.Unmarshal(encoded, &entries)
	return entries
}

func answer(w http.ResponseWriter, media string, status int, body interface{}) {
	w.Header().Set("Content-Type", media+"; charset=utf-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(body)
}

func (s *server) graphqlHTTP(w http.ResponseWriter, r *http.Request) {
	if s.fault != "no-subscriptions" && websocket.IsWebSocketUpgrade(r) {
		s.transport(w, r)
		return
	}
	media := s.responseType(r.Header.Get("Accept"))
	if media == "" {
		answer(w, "application/json", http.StatusNotAcceptable, map[string]interface{}{
			"errors": []map[string]string{{"message": "Accept " + graphqlResponse + " or application/json"}},
		})
		return
	}
	asked, refusal := s.parameters(w, r)
	var response *graphql.Response
	if refusal == nil {
		response, refusal = s.run(r.Context(), r.Method, asked)
	}
	if refusal == nil {
		answer(w, media, http.StatusOK, response)
		return
	}
	for name, value := range refusal.headers {
		w.Header().Set(name, value)
	}
	status := refusal.status
	if status == 0 && media == graphqlResponse {
		status = http.StatusBadRequest // with the GraphQL media type the status says nothing ran
	} else if status == 0 {
		status = http.StatusOK // legacy application/json: old clients read only the body
	}
	answer(w, media, status, map[string]interface{}{"errors": refusal.errors})
}

func main() {
	host := flag.String("host", "127.0.0.1", "address to listen on; 0.0.0.0 in class, where Wirelab on the teacher's laptop connects to yours")
	port := flag.Int("port", 8004, "port; 0 picks a free one (printed)")
	fault := flag.String("fault", os.Getenv("FAULT"), "break one thing on purpose: "+strings.Join(faults, ", "))
	flag.Parse()
	known := *fault == ""
	for _, each := range faults {
		known = known || *fault == each
	}
	if !known {
		log.Fatalf("unknown -fault %q", *fault)
	}
	depthLimit := maxDepth
	if *fault == "no-depth-limit" {
		depthLimit = 0
	}
	listener, err := net.Listen("tcp", fmt.Sprintf("%s:%d", *host, *port))
	if err != nil {
		log.Fatal(err)
	}
	shared := newStore()
	s := &server{schema: newSchema(shared, depthLimit), store: shared, fault: *fault}
	mux := http.NewServeMux()
	mux.HandleFunc("/graphql", s.graphqlHTTP)
	announce(*host, listener.Addr().(*net.TCPAddr).Port)
	log.Fatal(http.Serve(listener, mux))
}
