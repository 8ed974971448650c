import grpc
