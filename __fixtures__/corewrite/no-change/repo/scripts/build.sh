#!/bin/sh
cd "$(dirname "$0")/.."
# the context is the repository root already
docker build -f infrastructure/service-mesh/Dockerfile.controller .
docker build -t unrelated other
