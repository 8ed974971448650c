# Syntax = docker/dockerfile:1
#ESCAPE=`
FROM alpine
RUN echo `
  x
