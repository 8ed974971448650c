FROM node:20 AS Builder
RUN npm pack
FROM node:20-slim
COPY --from=builder /app /app
COPY --from=BUILDER /app/x /x
FROM BuIlDeR AS again
RUN true
