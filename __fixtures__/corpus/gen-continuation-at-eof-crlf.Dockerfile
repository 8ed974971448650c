FROM alpine
RUN echo \
