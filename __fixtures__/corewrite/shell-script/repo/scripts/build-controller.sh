#!/usr/bin/env bash
set -euo pipefail
# Build the controller image.
cd infrastructure/service-mesh
buildah bud --layers \
  -f Dockerfile.controller \
  -t lucid/controller \
  .
echo "built"  # docker build -f Dockerfile.controller . (a comment, left alone)
