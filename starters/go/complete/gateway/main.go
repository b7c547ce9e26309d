// A REST gateway in front of the gRPC UserService, on grpc-gateway's runtime (1.6.4, as
// Debian 12 packages it): the routes users.proto's google.api.http
// annotations give, what `npm run check-server -- gateway` checks.
//
//	cd starters/go && go generate ./stubs && go mod tidy      (once: README.md)
//	go build -o gateway-server ./complete/gateway && ./gateway-server -port 8090 -grpc 127.0.0.1:50051
//	npm run check-server -- gateway 127.0.0.1:8090
//
// The mux's routes are written by hand, as protoc-gen-grpc-gateway would write them: Debian's
// generator (1.6.4) refuses users.proto, whose proto3 `optional` fields it predates. The runtime
// does the rest: proto3 JSON in and out (JSONPb), query parameters by proto or JSON name, a server
// stream as lines of {"result": …}, the HTTP status of each gRPC code (runtime.HTTPStatusFromCode).
// The error body is written here (writeError): runtime 1.6.4's own errorBody is a hand-made
// protobuf struct that today's protobuf-go (golang/protobuf 1.5's APIv1 shim) cannot marshal.
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
	body, marshalErr := (&jsonpb.Marshaler{}).MarshalToString(answer.Proto())
	if marshalErr != nil {
		body = fmt.Sprintf(`{"code": 13, "message": %q}`, marshalErr.Error())
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(runtime.HTTPStatusFromCode(answer.Code()))
	io.WriteString(w, body)
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
	if err := inbound.NewDecoder(r.Body).Decode(message); err != nil && err != io.EOF {
		return status.Errorf(codes.InvalidArgument, "%v", err)
	}
	return nil
}

func (g *gateway) getUser(w http.ResponseWriter, r *http.Request, params map[string]string) {
	id, err := pathID(params)
	if err != nil {
		g.fail(w, r, err)
		return
	}
	response, err := g.users.GetUser(r.Context(), &usersv1.GetUserRequest{Key: &usersv1.GetUserRequest_Id{Id: id}})
	g.answer(w, r, response, err)
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
	var request usersv1.ListUsersRequest
	// every field may come from the query: none is bound by the path or a body
	if err := runtime.PopulateQueryParameters(&request, r.URL.Query(), utilities.NewDoubleArray(nil)); err != nil {
		g.fail(w, r, status.Errorf(codes.InvalidArgument, "%v", err))
		return
	}
	stream, err := g.users.ListUsers(r.Context(), &request)
	if err != nil {
		g.fail(w, r, err)
		return
	}
	// an error before the first message is the call's answer; after it, the stream's last line
	first, err := stream.Recv()
	if err != nil && err != io.EOF {
		g.fail(w, r, err)
		return
	}
	given := false
	next := func() (proto.Message, error) {
		if !given {
			given = true
			if err == io.EOF {
				return nil, io.EOF
			}
			return first, nil
		}
		return stream.Recv()
	}
	_, outbound := runtime.MarshalerForRequest(g.mux, r)
	// ForwardResponseStream wants the call's metadata in the context (the generated code puts it there)
	ctx := runtime.NewServerMetadataContext(r.Context(), runtime.ServerMetadata{})
	runtime.ForwardResponseStream(ctx, g.mux, outbound, w, r, next)
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
	// OrigName false: lowerCamelCase names (createdAt), as proto3 JSON writes them
	mux := runtime.NewServeMux(runtime.WithMarshalerOption(runtime.MIMEWildcard, &runtime.JSONPb{OrigName: false}))
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
