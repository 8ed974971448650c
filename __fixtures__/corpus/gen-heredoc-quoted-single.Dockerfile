FROM alpine
RUN <<'EOF'
echo '$LITERAL' ${ALSO}
EOF
