// A starter gRPC server: wirelab.users.v1.UserService from proto/, the standard health service and
// server reflection over h2c, what `npm run check-server -- grpc` checks (10 checks).
//
//	cd starters/go && go generate ./stubs && go mod tidy      (once: README.md)
//	go build -o grpc-server ./complete/grpc && ./grpc-server -port 50051
//	npm run check-server -- grpc 127.0.0.1:50051
//
// Go 1.19 or newer and grpc-go 1.33 with protobuf-go 1.28 and golang/protobuf 1.5 (go.mod).
// It speaks plain gRPC only: the checks for gRPC-Web and Connect say "not offered".
// GetUser, CreateUser, DeleteUser and ListUsers are here; UpdateUser, CreateUsers and Chat answer
// UNIMPLEMENTED (grpc-go's Unimplemented… server does that).
//
// The parts marked "STUDENT PART" are what the lesson "Build your own server" asks a student to
// write; the rest is plumbing they are given.
//
// -fault NAME (or FAULT=NAME) breaks one thing on purpose, to see which checks catch it:
//
//	no-health          the health service is not registered
//	unknown-status     a missing user is answered UNKNOWN instead of NOT_FOUND
//	raw-context-error  ListUsers returns ctx.Err() as it is: grpc-go sends a plain error as UNKNOWN
//	no-reflection      reflection is not registered (the check says "not offered", not failed)
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"net"
	"os"
	"os/signal"
	"regexp"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/timestamppb"

	usersv1 "wirelab.example/starters/stubs/wirelab/users/v1"
)

var emailPattern = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)

// users keeps them in memory; grpc-go runs each call on its own goroutine, hence the lock.
type users struct {
	usersv1.UnimplementedUserServiceServer
	fault  string
	lock   sync.Mutex
	byID   map[uint32]*usersv1.User
	nextID uint32
}

func newUsers(fault string) *users {
	service := &users{fault: fault, byID: map[uint32]*usersv1.User{}, nextID: 1}
	for _, name := range []string{"Ada Lovelace", "Alan Turing", "Grace Hopper"} {
		service.add(name, strings.ToLower(strings.Fields(name)[0])+"@example.com")
	}
	return service
}

func (s *users) add(name, email string) *usersv1.User {
	now := timestamppb.Now()
	user := &usersv1.User{Id: s.nextID, Name: name, Email: email, Status: usersv1.UserStatus_USER_STATUS_ACTIVE,
		Roles: []usersv1.Role{usersv1.Role_ROLE_READER}, Metadata: map[string]string{}, CreatedAt: now, UpdatedAt: now, Version: 1}
	s.byID[user.Id] = user
	s.nextID++
	return user
}

// ── STUDENT PART: status codes — NOT_FOUND, INVALID_ARGUMENT with details, ALREADY_EXISTS ──

func (s *users) notFound() error {
	if s.fault == "unknown-status" {
		return status.Error(codes.Unknown, "no such user")
	}
	return status.Error(codes.NotFound, "no such user")
}

// invalidArgument carries a google.rpc.BadRequest in the status details (the grpc-status-details-bin
// trailer), so a client learns which field is wrong without parsing the message.
func invalidArgument(violations []*errdetails.BadRequest_FieldViolation) error {
	withDetails, err := status.New(codes.InvalidArgument, "some fields are invalid").WithDetails(&errdetails.BadRequest{FieldViolations: violations})
	if err != nil {
		return status.Error(codes.InvalidArgument, "some fields are invalid")
	}
	return withDetails.Err()
}

func validate(request *usersv1.CreateUserRequest) []*errdetails.BadRequest_FieldViolation {
	var violations []*errdetails.BadRequest_FieldViolation
	if name := strings.TrimSpace(request.Name); name == "" || len([]rune(name)) > 100 {
		violations = append(violations, &errdetails.BadRequest_FieldViolation{Field: "name", Description: "must be 1..100 characters"})
	}
	if !emailPattern.MatchString(request.Email) {
		violations = append(violations, &errdetails.BadRequest_FieldViolation{Field: "email", Description: "must look like x@y.z"})
	}
	return violations
}

// ── end of STUDENT PART ──

// ── STUDENT PART: the unary methods ──

func (s *users) GetUser(_ context.Context, request *usersv1.GetUserRequest) (*usersv1.GetUserResponse, error) {
	s.lock.Lock()
	defer s.lock.Unlock()
	if byEmail, isEmail := request.Key.(*usersv1.GetUserRequest_Email); isEmail {
		for _, user := range s.byID {
			if strings.EqualFold(user.Email, byEmail.Email) {
				return &usersv1.GetUserResponse{User: user}, nil
			}
		}
		return nil, s.notFound()
	}
	user, found := s.byID[request.GetId()]
	if !found {
		return nil, s.notFound()
	}
	return &usersv1.GetUserResponse{User: user}, nil
}

func (s *users) CreateUser(_ context.Context, request *usersv1.CreateUserRequest) (*usersv1.CreateUserResponse, error) {
	if violations := validate(request); len(violations) > 0 {
		return nil, invalidArgument(violations)
	}
	s.lock.Lock()
	defer s.lock.Unlock()
	for _, user := range s.byID {
		if strings.EqualFold(user.Email, request.Email) {
			return nil, status.Error(codes.AlreadyExists, "this email is taken")
		}
	}
	user := s.add(strings.TrimSpace(request.Name), request.Email)
	if request.Status != usersv1.UserStatus_USER_STATUS_UNSPECIFIED {
		user.Status = request.Status
	}
	if len(request.Roles) > 0 {
		user.Roles = request.Roles
	}
	for key, value := range request.Metadata {
		user.Metadata[key] = value
	}
	user.Phone = request.Phone
	return &usersv1.CreateUserResponse{User: user}, nil
}

func (s *users) DeleteUser(_ context.Context, request *usersv1.DeleteUserRequest) (*emptypb.Empty, error) {
	s.lock.Lock()
	defer s.lock.Unlock()
	if _, found := s.byID[request.Id]; !found {
		return nil, s.notFound()
	}
	delete(s.byID, request.Id)
	return &emptypb.Empty{}, nil
}

// ── end of STUDENT PART ──

// ── STUDENT PART: a server stream that honours the deadline ──

// ListUsers sends the users one by one, interval_ms apart. The client's grpc-timeout becomes the
// context's deadline; grpc-go only cancels the context, so the handler must stop and say
// DEADLINE_EXCEEDED (or CANCELLED) itself — a plain error would reach the client as UNKNOWN.
func (s *users) ListUsers(request *usersv1.ListUsersRequest, stream usersv1.UserService_ListUsersServer) error {
	list := s.matching(request.Filter)
	if request.MaxUsers > 0 && int(request.MaxUsers) < len(list) {
		list = list[:request.MaxUsers]
	}
	for position, user := range list {
		if position > 0 {
			select {
			case <-stream.Context().Done():
				return s.contextError(stream.Context().Err())
			case <-time.After(time.Duration(request.IntervalMs) * time.Millisecond):
			}
		}
		if err := stream.Send(&usersv1.ListUsersResponse{User: user, Position: uint32(position + 1)}); err != nil {
			return err
		}
	}
	return nil
}

func (s *users) contextError(err error) error {
	if s.fault == "raw-context-error" {
		return err
	}
	return status.FromContextError(err).Err() // DEADLINE_EXCEEDED or CANCELLED
}

// ── end of STUDENT PART ──

func (s *users) matching(filter *usersv1.ListUsersRequest_Filter) []*usersv1.User {
	s.lock.Lock()
	defer s.lock.Unlock()
	var list []*usersv1.User
	for _, user := range s.byID {
		if filter.GetStatus() != usersv1.UserStatus_USER_STATUS_UNSPECIFIED && user.Status != filter.GetStatus() {
			continue
		}
		if filter.GetRole() != usersv1.Role_ROLE_UNSPECIFIED && !hasRole(user, filter.GetRole()) {
			continue
		}
		query := strings.ToLower(filter.GetQuery())
		if query != "" && !strings.Contains(strings.ToLower(user.Name+" "+user.Email), query) {
			continue
		}
		list = append(list, user)
	}
	sort.Slice(list, func(i, j int) bool { return list[i].Id < list[j].Id })
	return list
}

func hasRole(user *usersv1.User, role usersv1.Role) bool {
	for _, held := range user.Roles {
		if held == role {
			return true
		}
	}
	return false
}

// ── STUDENT PART: an interceptor — metadata in, metadata out, one log line per call ──

// echoRequestID sends a client's x-request-id back in the response headers (metadata), so a
// client can match answers with requests, and logs every call with its status code.
func echoRequestID(ctx context.Context, request interface{}, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (interface{}, error) {
	if incoming, present := metadata.FromIncomingContext(ctx); present && len(incoming.Get("x-request-id")) > 0 {
		_ = grpc.SetHeader(ctx, metadata.Pairs("x-request-id", incoming.Get("x-request-id")[0]))
	}
	started := time.Now()
	response, err := handler(ctx, request)
	log.Printf("%s %s %s", info.FullMethod, status.Code(err), time.Since(started).Round(time.Millisecond))
	return response, err
}

// ── end of STUDENT PART ──

// ── STUDENT PART: graceful shutdown ──

// stopOnSignal: on SIGTERM or Ctrl-C, health says NOT_SERVING (balancers stop sending calls),
// GracefulStop lets running calls finish, and after a grace period Stop ends the rest.
func stopOnSignal(signals <-chan os.Signal, server *grpc.Server, healthServer *health.Server, grace time.Duration) {
	<-signals
	healthServer.Shutdown()
	stopped := make(chan struct{})
	go func() {
		server.GracefulStop()
		close(stopped)
	}()
	select {
	case <-stopped:
	case <-time.After(grace):
		server.Stop()
	}
}

// ── end of STUDENT PART ──

func main() {
	host := flag.String("host", "127.0.0.1", "address to listen on; 0.0.0.0 in class, where Wirelab on the teacher's laptop connects to yours")
	port := flag.Int("port", 50051, "port; 0 picks a free one (printed)")
	fault := flag.String("fault", os.Getenv("FAULT"), "break one thing on purpose: no-health, unknown-status, raw-context-error, no-reflection")
	flag.Parse()
	if *fault != "" && !strings.Contains(" no-health unknown-status raw-context-error no-reflection ", " "+*fault+" ") {
		log.Fatalf("unknown -fault %q", *fault)
	}
	listener, err := net.Listen("tcp", fmt.Sprintf("%s:%d", *host, *port))
	if err != nil {
		log.Fatal(err)
	}
	server := grpc.NewServer(grpc.UnaryInterceptor(echoRequestID))
	usersv1.RegisterUserServiceServer(server, newUsers(*fault))
	healthServer := health.NewServer() // Check and Watch; "" (the whole server) is SERVING
	if *fault != "no-health" {
		healthpb.RegisterHealthServer(server, healthServer)
	}
	if *fault != "no-reflection" {
		registerReflection(server)
	}
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGTERM, os.Interrupt) // before LISTENING: a SIGTERM right after it is ours to handle
	announce(*host, listener.Addr().(*net.TCPAddr).Port)
	stopped := make(chan struct{})
	go func() {
		stopOnSignal(signals, server, healthServer, 2*time.Second)
		close(stopped)
	}()
	if err := server.Serve(listener); err != nil {
		log.Fatal(err)
	}
	<-stopped // Serve returns as soon as the listener closes; the running calls may still be finishing
}
