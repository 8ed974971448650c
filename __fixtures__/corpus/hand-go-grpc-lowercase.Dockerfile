# build a static gRPC gateway; keywords in lower case on purpose
arg GO_VERSION=1.22
arg VERSION

from --platform=$TARGETPLATFORM golang:${GO_VERSION} as build
workdir /src
copy go.mod go.sum ./
run go mod download
copy . .
run CGO_ENABLED=0 go build -ldflags "-X main.version=${VERSION}" -o /gateway ./cmd/server

from gcr.io/distroless/static-debian12:nonroot
label version=$VERSION
copy --from=build /gateway /gateway
user nonroot:nonroot
entrypoint ["/gateway"]
