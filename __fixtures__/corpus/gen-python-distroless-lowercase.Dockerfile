# syntax=docker/dockerfile:1.7
arg PYTHON_VERSION=3.11
arg VERSION=1.0.0
arg VCS_REF

from --platform=$TARGETPLATFORM python:${PYTHON_VERSION}-slim AS builder
workdir /build
copy requirements.txt .
run pip install --user --no-cache-dir -r requirements.txt
copy app/ ./app/
run python -m compileall app

from --platform=linux/amd64 gcr.io/distroless/python3-debian12:nonroot
label org.opencontainers.image.version=$VERSION \
      org.opencontainers.image.revision=$VCS_REF
workdir /app
copy --from=builder /root/.local /root/.local
env PYTHONPATH=/root/.local/lib/python3.11/site-packages
user 65532:65532
entrypoint ["python3", "-m", "app.main"]
