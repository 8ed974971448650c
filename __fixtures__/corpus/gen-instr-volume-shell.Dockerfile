FROM alpine:3.20 AS base
VOLUME /data /logs
