  FROM alpine AS base
  RUN echo indented
    FROM base
  COPY --from=base / /
