FROM alpine:3.20 AS base
CMD ["sleep", "infinity"]
