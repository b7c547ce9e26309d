package main

// Server reflection, grpc.reflection.v1, written here because Debian's grpc-go 1.33 ships only the
// older grpc.reflection.v1alpha (google.golang.org/grpc/reflection). Both are registered: today's
// grpcurl and buf curl ask v1 first, older tools v1alpha. The descriptors come from protobuf-go's
// global registry, where every generated .pb.go file registers itself when its package loads.

import (
	"io"
	"sort"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	alphareflection "google.golang.org/grpc/reflection"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protodesc"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"

	reflectionv1 "wirelab.example/starters/stubs/grpc/reflection/v1"
)

type reflection struct {
	reflectionv1.UnimplementedServerReflectionServer
	server *grpc.Server
}

func registerReflection(server *grpc.Server) {
	reflectionv1.RegisterServerReflectionServer(server, &reflection{server: server})
	alphareflection.Register(server)
}

// ServerReflectionInfo answers each request on the stream in turn, until the client ends it.
func (r *reflection) ServerReflectionInfo(stream reflectionv1.ServerReflection_ServerReflectionInfoServer) error {
	for {
		request, err := stream.Recv()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		response := &reflectionv1.ServerReflectionResponse{ValidHost: request.Host, OriginalRequest: request}
		r.answer(request, response)
		if err := stream.Send(response); err != nil {
			return err
		}
	}
}

// answer sets the response's one-of (its Go interface type is unexported, so it is set, not returned).
func (r *reflection) answer(request *reflectionv1.ServerReflectionRequest, response *reflectionv1.ServerReflectionResponse) {
	switch asked := request.MessageRequest.(type) {
	case *reflectionv1.ServerReflectionRequest_ListServices:
		response.MessageResponse = r.listServices()
	case *reflectionv1.ServerReflectionRequest_FileByFilename:
		file, err := protoregistry.GlobalFiles.FindFileByPath(asked.FileByFilename)
		setFilesOrError(response, file, err)
	case *reflectionv1.ServerReflectionRequest_FileContainingSymbol:
		symbol, err := protoregistry.GlobalFiles.FindDescriptorByName(protoreflect.FullName(asked.FileContainingSymbol))
		if err != nil {
			response.MessageResponse = notFound(err.Error())
			return
		}
		setFilesOrError(response, symbol.ParentFile(), nil)
	default: // extensions: this server's .proto files declare none
		response.MessageResponse = notFound("no extensions are known to this server")
	}
}

func (r *reflection) listServices() *reflectionv1.ServerReflectionResponse_ListServicesResponse {
	var names []string
	for name := range r.server.GetServiceInfo() {
		names = append(names, name)
	}
	sort.Strings(names)
	list := &reflectionv1.ListServiceResponse{}
	for _, name := range names {
		list.Service = append(list.Service, &reflectionv1.ServiceResponse{Name: name})
	}
	return &reflectionv1.ServerReflectionResponse_ListServicesResponse{ListServicesResponse: list}
}

// setFilesOrError sends the file with every file it imports, so the client can resolve all the types.
func setFilesOrError(response *reflectionv1.ServerReflectionResponse, file protoreflect.FileDescriptor, err error) {
	if err != nil {
		response.MessageResponse = notFound(err.Error())
		return
	}
	var encoded [][]byte
	seen := map[string]bool{}
	var visit func(protoreflect.FileDescriptor)
	visit = func(file protoreflect.FileDescriptor) {
		if seen[file.Path()] {
			return
		}
		seen[file.Path()] = true
		bytes, _ := proto.Marshal(protodesc.ToFileDescriptorProto(file))
		encoded = append(encoded, bytes)
		for index := 0; index < file.Imports().Len(); index++ {
			visit(file.Imports().Get(index).FileDescriptor)
		}
	}
	visit(file)
	response.MessageResponse = &reflectionv1.ServerReflectionResponse_FileDescriptorResponse{
		FileDescriptorResponse: &reflectionv1.FileDescriptorResponse{FileDescriptorProto: encoded}}
}

func notFound(message string) *reflectionv1.ServerReflectionResponse_ErrorResponse {
	return &reflectionv1.ServerReflectionResponse_ErrorResponse{ErrorResponse: &reflectionv1.ErrorResponse{
		ErrorCode: int32(codes.NotFound), ErrorMessage: message}}
}
