FROM alpine:3.20 AS base
ENV LEGACY value with spaces
