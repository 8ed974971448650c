FROM alpine:3.20 AS base
HEALTHCHECK CMD ["/bin/check", "--quiet"]
