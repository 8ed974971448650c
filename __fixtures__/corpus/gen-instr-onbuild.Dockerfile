FROM alpine:3.20 AS base
ONBUILD COPY . /app
ONBUILD RUN make -C /app
onbuild run echo lower
