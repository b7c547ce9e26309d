// A REST gateway for you to finish, in front of your gRPC UserService, on grpc-gateway's runtime
// (1.6.4, as Debian 12 packages it): the routes users.proto's
// google.api.http annotations give, what `npm run check-server -- gateway` checks.
// REST-шлюз перед вашим gRPC-сервисом UserService, который вам предстоит дописать.
//
//	cd starters/go && go generate ./stubs && go mod tidy      (once: README.md)
//	go build -o gateway-server ./gateway && ./gateway-server -port 8090 -grpc 127.0.0.1:50051
//	npm run check-server -- gateway 127.0.0.1:8090
//
// The mux's routes are written by hand, as protoc-gen-grpc-gateway would write them: Debian's
// generator (1.6.4) refuses users.proto, whose proto3 `optional` fields it predates. The runtime
// does the rest: proto3 JSON in and out (JSONPb), query parameters by proto or JSON name, a server
// stream as lines of {"result": …}, the HTTP status of each gRPC code (runtime.HTTPStatusFromCode).
// The error body is written here (writeError): runtime 1.6.4's own errorBody is a hand-made
// protobuf struct that today's protobuf-go (golang/protobuf 1.5's APIv1 shim) cannot marshal.
//
// The routes, the channel and POST, PATCH and DELETE are written as examples; each TODO is a part
// of the gateway for you to write and names the checks it makes pass. The complete version:
// ../complete/gateway.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"

	"github.com/golang/protobuf/jsonpb"
	"github.com/golang/protobuf/proto"
	"github.com/grpc-ecosystem/grpc-gateway/runtime"
	"github.com/grpc-ecosystem/grpc-gateway/utilities"
	_ "google.golang.org/genproto/googleapis/rpc/errdetails" // the details' types, for their JSON
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	usersv1 "wirelab.example/starters/stubs/wirelab/users/v1"
)

// The patterns protoc-gen-grpc-gateway writes for "/v1/users/{id}" and "/v1/users" (opcodes of
// grpc-gateway's utilities: 2 push a literal, 1 push a segment, 4 concat, 5 capture).
var (
	userPattern  = runtime.MustPattern(runtime.NewPattern(1, []int{2, 0, 2, 1, 1, 0, 4, 1, 5, 2}, []string{"v1", "users", "id"}, ""))
	usersPattern = runtime.MustPattern(runtime.NewPattern(1, []int{2, 0, 2, 1}, []string{"v1", "users"}, ""))
)

// writeError answers a failed call as grpc-gateway does: the HTTP status of its gRPC code and the
// google.rpc.Status as JSON, {"code", "message", "details"}.
func writeError(_ context.Context, _ *runtime.ServeMux, _ runtime.Marshaler, w http.ResponseWriter, _ *http.Request, err error) {
	answer := status.Convert(err)
	// TODO [invalid-argument-400, already-exists-409, not-found-404, delete-empty-200]: answer as
	//   grpc-gateway does: the HTTP status of the code (runtime.HTTPStatusFromCode(answer.Code())) and,
	//   as the body, application/json with the google.rpc.Status, answer.Proto(), in JSON
	//   ((&jsonpb.Marshaler{}).MarshalToString), not a line of text.
	// СДЕЛАЙТЕ: отвечайте, как grpc-gateway: статус HTTP по коду (runtime.HTTPStatusFromCode) и JSON-тело google.rpc.Status.
	_ = jsonpb.Marshaler{}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(http.StatusInternalServerError)
	io.WriteString(w, fmt.Sprintf("%s: %s\n", answer.Code(), answer.Message()))
}

// writeRouteError answers what the gateway refuses itself, before any call: no route (404), a
// method no route has (405: UNIMPLEMENTED, as grpc-gateway says), a request it cannot read (400).
func writeRouteError(w http.ResponseWriter, r *http.Request, message string, httpStatus int) {
	code := map[int]codes.Code{http.StatusNotFound: codes.NotFound, http.StatusMethodNotAllowed: codes.Unimplemented}[httpStatus]
	if code == codes.OK {
		code = codes.InvalidArgument
	}
	writeError(r.Context(), nil, nil, w, r, status.Error(code, message))
}

type gateway struct {
	mux   *runtime.ServeMux
	users usersv1.UserServiceClient
}

func (g *gateway) fail(w http.ResponseWriter, r *http.Request, err error) {
	_, outbound := runtime.MarshalerForRequest(g.mux, r)
	runtime.HTTPError(r.Context(), g.mux, outbound, w, r, err)
}

func (g *gateway) answer(w http.ResponseWriter, r *http.Request, message proto.Message, err error) {
	if err != nil {
		g.fail(w, r, err)
		return
	}
	_, outbound := runtime.MarshalerForRequest(g.mux, r)
	runtime.ForwardResponseMessage(r.Context(), g.mux, outbound, w, r, message)
}

// pathID is the {id} path variable; one that is not a uint32 is the client's mistake.
func pathID(params map[string]string) (uint32, error) {
	id, err := runtime.Uint32(params["id"])
	if err != nil {
		return 0, status.Errorf(codes.InvalidArgument, "type mismatch, parameter: id, error: %v", err)
	}
	return id, nil
}

// decodeBody fills message from the whole JSON body (body: "*").
func (g *gateway) decodeBody(r *http.Request, message proto.Message) error {
	inbound, _ := runtime.MarshalerForRequest(g.mux, r)
	// TODO [malformed-json-400]: a body the gateway cannot read is the client's mistake: the gateway
	//   answers INVALID_ARGUMENT itself (status.Errorf(codes.InvalidArgument, …)), and the service is
	//   never called; a bare error is codes.Unknown, a 500. (io.EOF is an empty body: no mistake.)
	// СДЕЛАЙТЕ: тело, которое шлюз не может разобрать, он сам отклоняет с INVALID_ARGUMENT, а не 500.
	if err := inbound.NewDecoder(r.Body).Decode(message); err != nil && err != io.EOF {
		return err
	}
	return nil
}

func (g *gateway) getUser(w http.ResponseWriter, r *http.Request, params map[string]string) {
	// TODO [get-path-variable, not-found-404, delete-empty-200]: GET /v1/users/{id} is GetUser, the
	//   path variable {id} (pathID) filling the request's id: &usersv1.GetUserRequest{Key:
	//   &usersv1.GetUserRequest_Id{Id: id}}; GET has no body. deleteUser below is the same shape.
	// СДЕЛАЙТЕ: GET /v1/users/{id} — это GetUser, а переменная пути {id} заполняет поле id запроса (как в deleteUser).
	g.fail(w, r, status.Error(codes.Unimplemented, "GET /v1/users/{id} is not written yet"))
}

func (g *gateway) createUser(w http.ResponseWriter, r *http.Request, _ map[string]string) {
	var request usersv1.CreateUserRequest
	if err := g.decodeBody(r, &request); err != nil {
		g.fail(w, r, err)
		return
	}
	response, err := g.users.CreateUser(r.Context(), &request)
	g.answer(w, r, response, err)
}

func (g *gateway) updateUser(w http.ResponseWriter, r *http.Request, params map[string]string) {
	var request usersv1.UpdateUserRequest
	if err := g.decodeBody(r, &request); err != nil {
		g.fail(w, r, err)
		return
	}
	id, err := pathID(params)
	if err != nil {
		g.fail(w, r, err)
		return
	}
	request.Id = id // after the body: the path variable wins
	response, err := g.users.UpdateUser(r.Context(), &request)
	g.answer(w, r, response, err)
}

func (g *gateway) deleteUser(w http.ResponseWriter, r *http.Request, params map[string]string) {
	id, err := pathID(params)
	if err != nil {
		g.fail(w, r, err)
		return
	}
	response, err := g.users.DeleteUser(r.Context(), &usersv1.DeleteUserRequest{Id: id})
	g.answer(w, r, response, err) // google.protobuf.Empty: {} with 200
}

func (g *gateway) listUsers(w http.ResponseWriter, r *http.Request, _ map[string]string) {
	// TODO [list-query-stream]: GET /v1/users is ListUsers, a server stream. Its request comes from
	//   the query: runtime.PopulateQueryParameters(&request, r.URL.Query(), utilities.NewDoubleArray(nil))
	//   fills it by proto or JSON name (?maxUsers=1). Then each message of g.users.ListUsers(…) is a
	//   line {"result": …}: runtime.ForwardResponseStream does that, given a context with
	//   runtime.NewServerMetadataContext(r.Context(), runtime.ServerMetadata{}) and stream.Recv.
	// СДЕЛАЙТЕ: GET /v1/users — это серверный поток ListUsers: запрос из параметров строки запроса, каждое сообщение — строка {"result": …}.
	_ = utilities.NewDoubleArray
	g.fail(w, r, status.Error(codes.Unimplemented, "GET /v1/users is not written yet"))
}

func main() {
	host := flag.String("host", "127.0.0.1", "address to listen on; 0.0.0.0 in class, where Wirelab on the teacher's laptop connects to yours")
	port := flag.Int("port", 8090, "port; 0 picks a free one (printed)")
	target := flag.String("grpc", "127.0.0.1:50051", "host:port of the gRPC UserService")
	flag.Parse()

	runtime.HTTPError = writeError
	runtime.OtherErrorHandler = writeRouteError
	connection, err := grpc.Dial(*target, grpc.WithInsecure())
	if err != nil {
		log.Fatal(err)
	}
	// TODO [proto3-json-names]: proto3's JSON mapping names fields in lowerCamelCase (createdAt, not
	//   created_at); OrigName: true keeps the .proto's snake_case names instead.
	// СДЕЛАЙТЕ: в JSON proto3 имена полей — в lowerCamelCase (createdAt), а не как в .proto (created_at).
	mux := runtime.NewServeMux(runtime.WithMarshalerOption(runtime.MIMEWildcard, &runtime.JSONPb{OrigName: true}))
	g := &gateway{mux: mux, users: usersv1.NewUserServiceClient(connection)}
	mux.Handle("GET", userPattern, g.getUser)
	mux.Handle("POST", usersPattern, g.createUser)
	mux.Handle("PATCH", userPattern, g.updateUser)
	mux.Handle("DELETE", userPattern, g.deleteUser)
	mux.Handle("GET", usersPattern, g.listUsers)

	listener, err := net.Listen("tcp", net.JoinHostPort(*host, fmt.Sprint(*port)))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	announce(*host, listener.Addr().(*net.TCPAddr).Port)
	log.Fatal(http.Serve(listener, mux))
}
