FROM alpine AS a
RUN mkdir -p /out && echo hi > /out/hi
FROM alpine
COPY --link --chmod=0755 --from=a /out/hi /usr/local/bin/hi
COPY --chown=1000:1000 --chmod=644 conf/ /etc/app/
ADD --link --chown=app:app https://example.com/f /f
