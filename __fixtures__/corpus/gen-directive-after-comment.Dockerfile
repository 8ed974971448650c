# a comment first
# escape=`
FROM alpine
RUN echo \
  not-a-continuation-char
