# syntax=docker/dockerfile:1.7-labs
FROM node:20-bookworm-slim AS base
ENV PNPM_HOME=/pnpm
ENV PATH=$PNPM_HOME:$PATH
RUN corepack enable

FROM base AS fetch
WORKDIR /repo
COPY --parents pnpm-lock.yaml pnpm-workspace.yaml packages/*/package.json ./
RUN --mount=type=cache,id=pnpm,target=/pnpm/store pnpm fetch

FROM fetch AS build
COPY --exclude=**/*.test.ts . .
RUN pnpm install --offline --frozen-lockfile && pnpm -r build
RUN pnpm deploy --filter=@acme/api --prod /out/api

FROM gcr.io/distroless/nodejs20-debian12:nonroot AS api
WORKDIR /app
COPY --from=build --chown=65532:65532 /out/api .
ENV NODE_OPTIONS=--enable-source-maps LOG_LEVEL=${LOG_LEVEL}
CMD ["dist/index.js"]
