FROM alpine
LABEL description="Größenänderung für Bilder — 日本語 — ελληνικά"
RUN echo "café ☕" > /motd
ENV GREETING="привет"
