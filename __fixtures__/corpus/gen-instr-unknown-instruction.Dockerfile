FROM alpine:3.20 AS base
FROBNICATE all the things
RUN true
