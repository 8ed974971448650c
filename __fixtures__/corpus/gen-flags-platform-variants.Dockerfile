ARG TARGETPLATFORM
FROM --platform=${TARGETPLATFORM} alpine AS one
FROM --platform=$BUILDPLATFORM alpine AS two
FROM --platform=linux/arm64/v8 alpine AS three
COPY --from=one / /one
COPY --from=two / /two
FROM --platform=linux/amd64 alpine
COPY --from=three / /three
