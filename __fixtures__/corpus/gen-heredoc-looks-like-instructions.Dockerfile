FROM alpine
RUN <<EOF
FROM inside heredoc
ARG NOT_AN_ARG
COPY --from=x / /
EOF
RUN echo done
