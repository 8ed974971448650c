FROM alpine AS loop
COPY --from=loop / /
FROM loop AS loop2
