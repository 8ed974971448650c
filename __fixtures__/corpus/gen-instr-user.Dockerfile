FROM alpine:3.20 AS base
USER 1000:1000
USER nobody
USER ${APP_USER:-app}
