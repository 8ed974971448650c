FROM alpine:3.20 AS base
COPY ["src/", "/app/src/"]
