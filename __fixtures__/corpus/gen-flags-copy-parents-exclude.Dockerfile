# syntax=docker/dockerfile:1.7-labs
FROM alpine
COPY --parents ./services/*/package.json /app/
COPY --exclude=*.md --exclude=**/test ./ /src/
COPY --parents=true --exclude=node_modules . /ctx/
