# syntax=docker/dockerfile:1.7
ARG PYTHON_VERSION=3.11
ARG VERSION=1.0.0
ARG VCS_REF

FROM --platform=$TARGETPLATFORM python:${PYTHON_VERSION}-slim AS builder
WORKDIR /build
COPY requirements.txt .
RUN pip install --user --no-cache-dir -r requirements.txt
COPY app/ ./app/
RUN python -m compileall app

FROM --platform=linux/amd64 gcr.io/distroless/python3-debian12:nonroot
LABEL org.opencontainers.image.version=$VERSION \
      org.opencontainers.image.revision=$VCS_REF
WORKDIR /app
COPY --from=builder /root/.local /root/.local
ENV PYTHONPATH=/root/.local/lib/python3.11/site-packages
USER 65532:65532
ENTRYPOINT ["python3", "-m", "app.main"]
