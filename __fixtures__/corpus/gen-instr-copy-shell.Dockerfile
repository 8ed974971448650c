FROM alpine:3.20 AS base
COPY a.txt b.txt /dst/
COPY ["with space.txt", "/dst/with space.txt"]
