// The Go starters, one module: `go mod tidy` here downloads these versions and writes go.sum.
// They are the versions the code is written and tested against: Debian 12's packages, whose
// sources Wirelab's CI compiles this module against offline (tests/integration/go-offline-workspace.ts).
// grpc-go stays at 1.33: from 1.57 on, its reflection package serves grpc.reflection.v1 itself and
// registers reflection.proto, which grpc/reflection.go and its generated stubs do here.
module wirelab.example/starters

go 1.19

require (
	github.com/golang/protobuf v1.5.2 // grpc-go 1.33 and grpc-gateway 1.x marshal with it
	github.com/gorilla/websocket v1.5.0
	github.com/graph-gophers/graphql-go v1.5.0 // graphql/: parsing, validation (MaxDepth), execution, Subscribe
	github.com/grpc-ecosystem/grpc-gateway v1.6.4 // gateway/: the runtime only (the mux's routes are written by hand)
	golang.org/x/net v0.7.0 // grpc-websocket/: h2c, gRPC and the WebSocket on one port
	google.golang.org/genproto v0.0.0-20200526211855-cb27e3aa2013 // errdetails; the version grpc-go 1.33.3 requires
	google.golang.org/grpc v1.33.3
	google.golang.org/protobuf v1.28.1
)

require (
	golang.org/x/sys v0.5.0 // indirect
	golang.org/x/text v0.7.0 // indirect
)
