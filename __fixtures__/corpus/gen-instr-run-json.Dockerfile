FROM alpine:3.20 AS base
RUN ["/bin/sh", "-c", "echo hello world"]
