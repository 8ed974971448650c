FROM alpine
RUN <<"EOF" sh
echo "$NOT_EXPANDED"
EOF
