// Package stubs holds the Go code protoc generates from the repository's .proto files for the
// gRPC and gateway starters: wirelab.example/starters/stubs/wirelab/users/v1 (UserService) and
// …/stubs/grpc/reflection/v1 (reflection v1, which grpc-go 1.33 does not ship). Generated, not
// committed. From starters/go, on any system, with protoc and the two plugins on PATH:
//
//	go install google.golang.org/protobuf/cmd/protoc-gen-go@v1.28.1
//	go install google.golang.org/grpc/cmd/protoc-gen-go-grpc@v1.1.0
//	go generate ./stubs
//
// go generate runs the line below itself, without a shell, so it is the same in PowerShell and
// zsh. The .proto files have no go_package option (TypeScript and Python share them): the M
// options name each file's Go package. The health service is not generated: grpc-go's own
// google.golang.org/grpc/health/grpc_health_v1 registers the same grpc/health/v1/health.proto,
// and two registrations of one file make protobuf-go panic.
//
// Заглушки Go для gRPC-стартеров: `go generate ./stubs` в starters/go (нужны protoc и два плагина выше).
package stubs

//go:generate protoc -I ../../../proto/vendor -I ../../../proto --go_out=. --go_opt=module=wirelab.example/starters/stubs --go-grpc_out=. --go-grpc_opt=module=wirelab.example/starters/stubs --go_opt=Mwirelab/users/v1/users.proto=wirelab.example/starters/stubs/wirelab/users/v1;usersv1 --go-grpc_opt=Mwirelab/users/v1/users.proto=wirelab.example/starters/stubs/wirelab/users/v1;usersv1 --go_opt=Mgrpc/reflection/v1/reflection.proto=wirelab.example/starters/stubs/grpc/reflection/v1;reflectionv1 --go-grpc_opt=Mgrpc/reflection/v1/reflection.proto=wirelab.example/starters/stubs/grpc/reflection/v1;reflectionv1 ../../../proto/wirelab/users/v1/users.proto ../../../proto/grpc/reflection/v1/reflection.proto
