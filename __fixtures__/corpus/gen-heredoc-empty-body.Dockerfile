FROM alpine
RUN <<EOF
EOF
