// The Go starters as a module, for a laptop with Go and the internet: `go build ./rest` and so on
// download these versions. Wirelab's CI builds the same code offline in GOPATH mode against
// Debian 12's packages (GO111MODULE=off GOPATH=/usr/share/gocode), which ignores this file.
module wirelab.example/starters

go 1.21

require (
	github.com/golang/protobuf v1.5.4
	github.com/grpc-ecosystem/grpc-gateway v1.16.0 // gateway/: the runtime only (the mux's routes are written by hand)
	github.com/gorilla/websocket v1.5.3
	google.golang.org/grpc v1.67.1
	google.golang.org/protobuf v1.35.1
)
