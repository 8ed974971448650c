    ARG V=1
FROM alpine:$V
RUN echo $V
