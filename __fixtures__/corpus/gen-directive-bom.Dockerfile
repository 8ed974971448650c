# syntax=docker/dockerfile:1
FROM alpine
ARG V=1
FROM alpine
RUN echo $V
