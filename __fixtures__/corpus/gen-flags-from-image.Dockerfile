FROM alpine
COPY --from=nginx:1.27 /etc/nginx/nginx.conf /nginx.conf
COPY --from=docker.io/library/busybox:latest /bin/busybox /busybox
RUN --mount=type=bind,from=golang:1.22,source=/usr/local/go,target=/go true
