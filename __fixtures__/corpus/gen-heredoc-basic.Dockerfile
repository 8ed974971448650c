FROM alpine
RUN <<EOF
echo one
echo $HOME
EOF
