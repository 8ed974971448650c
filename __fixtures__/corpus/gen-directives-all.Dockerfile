# syntax=docker/dockerfile:1
# check=skip=JSONArgsRecommended;error=true
# escape=`
FROM alpine
RUN echo `
  hello
