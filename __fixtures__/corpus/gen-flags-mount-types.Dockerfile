FROM golang:1.22 AS build
RUN --mount=type=cache,target=/root/.cache/go-build,sharing=locked \
    --mount=type=bind,source=go.sum,target=go.sum \
    --mount=type=secret,id=netrc,target=/root/.netrc \
    --mount=type=ssh \
    --mount=type=tmpfs,target=/tmp \
    go build ./...
FROM build AS test
RUN --mount=from=build,source=/go,target=/g ls /g
RUN --network=none --security=insecure true
