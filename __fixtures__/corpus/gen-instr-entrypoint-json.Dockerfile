FROM alpine:3.20 AS base
ENTRYPOINT ["/usr/bin/env", "--"]
CMD ["sh"]
