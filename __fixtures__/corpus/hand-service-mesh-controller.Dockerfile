# syntax=docker/dockerfile:1.6
# Controller image for the service mesh (multi-arch).
ARG PYTHON_VERSION=3.11
ARG VERSION=1.0.0
ARG VCS_REF
ARG BUILD_DATE

FROM --platform=$TARGETPLATFORM python:${PYTHON_VERSION}-slim AS builder

WORKDIR /build

# Install dependencies first for better layer caching
COPY requirements.txt .
RUN pip install --user --no-cache-dir -r requirements.txt && \
    python -c "import grpcio; import consul; import yaml"

COPY controller/ ./controller/
COPY app/ ./app/
RUN touch /build/app/.lucid-source-marker
RUN python -m compileall -q app controller

FROM --platform=linux/amd64 gcr.io/distroless/python3-debian12:nonroot

LABEL org.opencontainers.image.title="service-mesh-controller" \
      org.opencontainers.image.version=$VERSION \
      org.opencontainers.image.revision=$VCS_REF \
      org.opencontainers.image.created=$BUILD_DATE

WORKDIR /app
COPY --from=builder /root/.local /root/.local
COPY --from=builder /build/controller ./controller
ENV PYTHONPATH=/root/.local/lib/python3.11/site-packages:/app \
    PATH=/root/.local/bin:$PATH \
    MESH_TOKEN=$MESH_TOKEN

USER 65532:65532
EXPOSE 8443
ENTRYPOINT ["/usr/bin/python3.11", "-m", "app.main"]
