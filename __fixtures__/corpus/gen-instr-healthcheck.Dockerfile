FROM alpine:3.20 AS base
HEALTHCHECK --interval=5s --start-period=1s --retries=3 \
  CMD wget -qO- localhost:8080/health || exit 1
