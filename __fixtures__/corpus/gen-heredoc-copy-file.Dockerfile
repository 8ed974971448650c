FROM alpine
COPY <<EOF /etc/motd
welcome to $HOSTNAME
EOF
COPY <<one <<two /dest/
1
one
2
two
