FROM alpine:3.20 AS base
RUN set -eux; \
    # a comment inside a continuation
    apk add --no-cache git; \

    git --version
