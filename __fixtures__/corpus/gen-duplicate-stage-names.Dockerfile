FROM alpine AS dup
RUN echo 1
FROM alpine AS dup
RUN echo 2
FROM alpine
COPY --from=dup / /
