FROM alpine
RUN --mount=type=cache,target=/var/cache/apk \
    <<EOF
apk add git
EOF
