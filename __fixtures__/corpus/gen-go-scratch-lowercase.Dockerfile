from --platform=$BUILDPLATFORM golang:1.22-alpine AS build
arg TARGETOS TARGETARCH
workdir /src
copy go.mod go.sum ./
run --mount=type=cache,target=/go/pkg/mod go mod download
copy . .
run --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /out/server ./cmd/server

from scratch
copy --from=build /out/server /server
user 65532
entrypoint ["/server"]
