FROM alpine:3.20 AS base
ENV A=1 \
    B=2 \
    C=$A$B
