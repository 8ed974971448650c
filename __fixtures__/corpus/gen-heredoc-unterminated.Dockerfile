FROM alpine
RUN <<EOF
echo never closed
FROM second
RUN echo swallowed
