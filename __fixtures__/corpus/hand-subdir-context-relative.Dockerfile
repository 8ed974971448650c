# Lives in services/api/ but is built with the repository root as context.
FROM python:3.11-slim AS builder
WORKDIR /build
COPY requirements.txt .
RUN pip install --user -r requirements.txt
COPY app/ ./app/
COPY controller/ ./controller/
RUN : > /build/app/.repo-source-marker

FROM gcr.io/distroless/python3-debian12
WORKDIR /srv
COPY --from=builder /root/.local /root/.local
COPY --from=builder /build/app ./app
COPY --from=builder /build/controller ./controller
ENV PYTHONPATH=/root/.local/lib/python3.11/site-packages
CMD ["-m", "app.main"]
