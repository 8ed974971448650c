# syntax=docker/dockerfile:1
FROM ubuntu:24.04 AS base
ARG DEBIAN_FRONTEND=noninteractive
RUN <<-EOT bash
	set -euo pipefail
	apt-get update
	apt-get install -y python3 python3-pip python3-venv
	EOT

FROM base AS app
COPY <<'PY' /usr/local/bin/healthcheck.py
import sys, urllib.request
sys.exit(0 if urllib.request.urlopen("http://localhost:8080/").status == 200 else 1)
PY
COPY <<EOF /etc/app/env
APP_NAME=${APP_NAME:-demo}
EOF
RUN <<EOF cat >> /etc/app/env && <<EOF2 cat > /etc/app/extra
BUILT_AT=$(date)
EOF
extra=true
EOF2
HEALTHCHECK CMD ["python3", "/usr/local/bin/healthcheck.py"]
CMD ["python3", "-m", "http.server", "8080"]
