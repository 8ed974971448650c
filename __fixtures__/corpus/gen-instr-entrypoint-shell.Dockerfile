FROM alpine:3.20 AS base
ENTRYPOINT exec /usr/bin/env
