// The seminar's practical task "WebSockets and gRPC in one service", for you to finish: what
// `npm run check-server -- grpc-websocket` checks (10 checks). Задача семинара «WebSocket и gRPC в
// одном сервисе», которую вам предстоит дописать: users.proto's UserService over gRPC and a WebSocket at
// /events, both on ONE port. One store, two doors:
//
//	gRPC CreateUser (OK)                  → every WebSocket gets {"type": "user.created", "user": {...}}
//	WebSocket {"type": "user.create", "user": {"name": ..., "email": ...}}
//	                                      → the user is stored (GetUser/ListUsers over gRPC see it)
//	                                        and every WebSocket, the sender too, gets user.created
//	a refused one (empty name, bad email) → no event; gRPC: INVALID_ARGUMENT; on the WebSocket only
//	                                        the sender gets {"type": "error", "code": "INVALID_ARGUMENT", "message": ...}
//
//	cd starters/go && go generate ./stubs && go mod tidy      (once: README.md)
//	go build -o grpc-websocket-server ./grpc-websocket && ./grpc-websocket-server -port 50061   (in class: -host 0.0.0.0)
//	npm run check-server -- grpc-websocket 127.0.0.1:50061
//
// One port, because Go's net/http can tell the two apart on one listener: h2c (golang.org/x/net)
// takes a connection that opens with the HTTP/2 preface, and a request with content-type
// application/grpc goes to grpc-go's ServeHTTP; an HTTP/1.1 GET /events with Upgrade: websocket
// goes to gorilla/websocket. One address to give Wirelab and a browser, one port to open in a
// firewall. (The Python starter needs two: grpcio owns its port.) grpc-go's ServeHTTP is its
// http.Handler transport: no keepalive enforcement or connection-level flow-control settings of its
// own (its doc says so), which this service does not need.
//
// The user in an event is proto3 JSON (protojson): lowerCamelCase names (createdAt), enums by name
// ("USER_STATUS_ACTIVE"), timestamps as RFC 3339 — what a gRPC client reads, as JSON. The whole
// contract: contracts/own-server/PROTOCOL.md, "The grpc-websocket contract".
//
// The port, both doors, the store, GetUser, DeleteUser and ListUsers are here; each TODO in the
// STUDENT PARTs is a part of the task for you to write and names the checks it makes pass. The
// complete version: ../complete/grpc-websocket.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"sync"

	"github.com/gorilla/websocket"
	"golang.org/x/net/http2"
	"golang.org/x/net/http2/h2c"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/timestamppb"

	usersv1 "wirelab.example/starters/stubs/wirelab/users/v1"
)

const eventsPath = "/events"

var emailPattern = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)

// client is one open WebSocket; gorilla allows one writer at a time, and events come from gRPC
// calls' goroutines as well as from the client's own reader, hence the lock.
type client struct {
	conn  *websocket.Conn
	write sync.Mutex
}

func (c *client) send(message []byte) error {
	c.write.Lock()
	defer c.write.Unlock()
	return c.conn.WriteMessage(websocket.TextMessage, message)
}

// service is the one store both doors use, and the WebSocket clients that hear of its changes.
type service struct {
	usersv1.UnimplementedUserServiceServer
	lock    sync.Mutex
	users   map[uint32]*usersv1.User
	nextID  uint32
	clients map[*client]int // the order they connected in
	joined  int
}

// ── STUDENT PART: one store, validated ──

func (s *service) create(request *usersv1.CreateUserRequest) (*usersv1.User, error) {
	name := strings.TrimSpace(request.Name)
	// TODO [no-event-for-invalid, ws-invalid-error]: an empty name or an email that does not match
	//   emailPattern is the caller's mistake: return status.Error(codes.InvalidArgument, why), so no
	//   user is stored and no event is published.
	// СДЕЛАЙТЕ: пустое имя или email не по шаблону emailPattern — ошибка клиента: верните
	//   status.Error(codes.InvalidArgument, …), тогда пользователь не сохраняется и событие не публикуется.
	s.lock.Lock()
	defer s.lock.Unlock()
	for _, user := range s.users {
		if strings.EqualFold(user.Email, request.Email) {
			return nil, status.Error(codes.AlreadyExists, "this email is taken")
		}
	}
	now := timestamppb.Now()
	user := &usersv1.User{Id: s.nextID, Name: name, Email: request.Email, Status: request.Status, Roles: request.Roles,
		Metadata: request.Metadata, Phone: request.Phone, CreatedAt: now, UpdatedAt: now, Version: 1}
	if user.Status == usersv1.UserStatus_USER_STATUS_UNSPECIFIED {
		user.Status = usersv1.UserStatus_USER_STATUS_ACTIVE
	}
	if len(user.Roles) == 0 {
		user.Roles = []usersv1.Role{usersv1.Role_ROLE_READER}
	}
	s.users[user.Id] = user
	s.nextID++
	return user, nil
}

// ── end of STUDENT PART ──

// ── STUDENT PART: the broadcast ──

// publish sends the event to every open WebSocket; a client gone meanwhile is forgotten, never fatal.
func (s *service) publish(kind string, user *usersv1.User) {
	// TODO [event-proto3-json]: the user as proto3 JSON (createdAt, "USER_STATUS_ACTIVE"), not just
	//   three fields: protojson.Marshal(user) does it (put it in as a json.RawMessage).
	// СДЕЛАЙТЕ: пользователь в JSON proto3 (createdAt, "USER_STATUS_ACTIVE"), а не три поля: это делает protojson.Marshal.
	message, _ := json.Marshal(map[string]interface{}{"type": kind, "user": map[string]interface{}{"id": user.Id, "name": user.Name, "email": user.Email}})
	// TODO [create-event, every-client-gets-event, ws-create-broadcast, closed-client-forgotten]: send
	//   message to every client in s.clients (copy them out under s.lock, send outside it: a slow
	//   client must not hold the store); a client whose send fails has gone: s.forget it and go on
	//   with the others (its error must not fail CreateUser).
	// СДЕЛАЙТЕ: отправьте message каждому клиенту из s.clients (скопируйте их под s.lock, отправляйте
	//   вне его); клиент, которому отправка не удалась, ушёл — s.forget и продолжайте с остальными.
	_ = message
}

// ── end of STUDENT PART ──

func (s *service) forget(gone *client) {
	s.lock.Lock()
	delete(s.clients, gone)
	s.lock.Unlock()
	gone.conn.Close()
}

func (s *service) GetUser(_ context.Context, request *usersv1.GetUserRequest) (*usersv1.GetUserResponse, error) {
	s.lock.Lock()
	defer s.lock.Unlock()
	for _, user := range s.users {
		if byEmail, isEmail := request.Key.(*usersv1.GetUserRequest_Email); (isEmail && strings.EqualFold(user.Email, byEmail.Email)) || (!isEmail && user.Id == request.GetId()) {
			return &usersv1.GetUserResponse{User: user}, nil
		}
	}
	return nil, status.Error(codes.NotFound, "no such user")
}

func (s *service) CreateUser(_ context.Context, request *usersv1.CreateUserRequest) (*usersv1.CreateUserResponse, error) {
	user, err := s.create(request)
	if err != nil {
		return nil, err
	}
	s.publish("user.created", user)
	return &usersv1.CreateUserResponse{User: user}, nil
}

func (s *service) DeleteUser(_ context.Context, request *usersv1.DeleteUserRequest) (*emptypb.Empty, error) {
	s.lock.Lock()
	user, found := s.users[request.Id]
	delete(s.users, request.Id)
	s.lock.Unlock()
	if !found {
		return nil, status.Error(codes.NotFound, "no such user")
	}
	s.publish("user.deleted", user)
	return &emptypb.Empty{}, nil
}

func (s *service) ListUsers(request *usersv1.ListUsersRequest, stream usersv1.UserService_ListUsersServer) error {
	s.lock.Lock()
	list := make([]*usersv1.User, 0, len(s.users))
	for _, user := range s.users {
		list = append(list, user)
	}
	s.lock.Unlock()
	sort.Slice(list, func(i, j int) bool { return list[i].Id < list[j].Id })
	if request.MaxUsers > 0 && int(request.MaxUsers) < len(list) {
		list = list[:request.MaxUsers]
	}
	for position, user := range list {
		if err := stream.Send(&usersv1.ListUsersResponse{User: user, Position: uint32(position + 1)}); err != nil {
			return err
		}
	}
	return nil
}

// codeName is a gRPC code as the protocol names it, INVALID_ARGUMENT (grpc-go's String() says InvalidArgument).
func codeName(code codes.Code) string {
	return strings.ToUpper(wordStart.ReplaceAllString(code.String(), "${1}_${2}"))
}

var wordStart = regexp.MustCompile(`([a-z])([A-Z])`)

// Any origin may connect: the page that listens (Wirelab's, on the teacher's laptop) is not this server's.
var upgrader = websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}

// events is the WebSocket door: it joins the client to the broadcast, then reads its messages until it goes.
func (s *service) events(w http.ResponseWriter, r *http.Request) {
	conn, err := upgrader.Upgrade(w, r, nil) // answers a request that is no handshake with 400 itself
	if err != nil {
		return
	}
	joined := &client{conn: conn}
	s.lock.Lock()
	s.joined++
	s.clients[joined] = s.joined
	s.lock.Unlock()
	defer s.forget(joined) // closed cleanly or dropped: forgotten
	for {
		_, message, err := conn.ReadMessage() // gorilla answers a close frame with one itself
		if err != nil {
			return
		}
		if !s.onMessage(joined, message) {
			return
		}
	}
}

// ── STUDENT PART: the WebSocket's own door ──

// onMessage stores {"type": "user.create", "user": {...}} and publishes it; anything else is an
// error to the sender alone, and the connection stays open. False: the connection is to end.
func (s *service) onMessage(from *client, message []byte) bool {
	// TODO [ws-create-visible-grpc, ws-create-broadcast, ws-invalid-error]: read the message as JSON
	//   {"type": "user.create", "user": {"name": ..., "email": ...}}; make a CreateUserRequest of its
	//   "user" (protojson.Unmarshal), s.create(it), then s.publish("user.created", user). Bad JSON,
	//   another type or a refusal: send the sender alone {"type": "error", "code": "INVALID_ARGUMENT"
	//   (codeName(status.Convert(err).Code())), "message": why} with from.send, and keep the connection
	//   (return true).
	// СДЕЛАЙТЕ: разберите сообщение как JSON {"type": "user.create", "user": {...}}; сделайте из "user"
	//   CreateUserRequest (protojson.Unmarshal), вызовите s.create, затем s.publish("user.created", user).
	//   Неверный JSON, другой type или отказ — только отправителю {"type": "error", "code": …, "message": …};
	//   соединение не закрывайте.
	return true
}

// ── end of STUDENT PART ──

func main() {
	host := flag.String("host", "127.0.0.1", "address to listen on; 0.0.0.0 in class, where Wirelab on the teacher's laptop connects to yours")
	port := flag.Int("port", 50061, "port of both gRPC and the WebSocket; 0 picks a free one (printed)")
	flag.Parse()
	listener, err := net.Listen("tcp", fmt.Sprintf("%s:%d", *host, *port))
	if err != nil {
		log.Fatal(err)
	}
	s := &service{users: map[uint32]*usersv1.User{}, nextID: 1, clients: map[*client]int{}}
	grpcServer := grpc.NewServer()
	usersv1.RegisterUserServiceServer(grpcServer, s)
	both := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.ProtoMajor == 2 && strings.HasPrefix(r.Header.Get("Content-Type"), "application/grpc"):
			grpcServer.ServeHTTP(w, r)
		case r.URL.Path == eventsPath:
			s.events(w, r)
		default:
			http.NotFound(w, r)
		}
	})
	announce(*host, listener.Addr().(*net.TCPAddr).Port)
	fmt.Printf("WebSocket: ws://%s%s\n", listener.Addr(), eventsPath)
	log.Fatal(http.Serve(listener, h2c.NewHandler(both, &http2.Server{})))
}
