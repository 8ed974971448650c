FROM golang:1.22 AS build
RUN go build -o /app .
FROM alpine:3.20
COPY --from=0 /app /app
COPY --from=0 --chown=1:1 /app /app2
FROM scratch
COPY --from=1 /app /app
