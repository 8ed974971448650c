FROM alpine:3.20 AS base
CMD echo "$HOME" && exec sleep infinity
