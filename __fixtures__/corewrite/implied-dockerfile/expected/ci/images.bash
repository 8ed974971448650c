#!/usr/bin/env bash
# run from anywhere: go to the repository root first
cd "$(dirname "$0")"
cd ..
docker image build -f services/api/Dockerfile . --tag "api:$(git rev-parse --short HEAD)"
