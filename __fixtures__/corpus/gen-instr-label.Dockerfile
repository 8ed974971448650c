FROM alpine:3.20 AS base
LABEL a=b "c d"="e f" \
      org.opencontainers.image.title="demo"
