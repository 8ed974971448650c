FROM python:3.11-slim-bookworm AS python-deps
RUN apt-get update \
 && apt-get install -y --no-install-recommends build-essential libpq-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /deps
COPY requirements.txt .
RUN pip install --prefix=/install -r requirements.txt

FROM python:3.11-slim-bookworm AS web
RUN apt-get update && apt-get install -y --no-install-recommends libpq5 && rm -rf /var/lib/apt/lists/*
COPY --from=python-deps /install /usr/local
WORKDIR /code
COPY . .
RUN DJANGO_SECRET_KEY=build-only python manage.py collectstatic --noinput
RUN useradd -m -u 1001 django && chown -R django /code
USER django
ENV DJANGO_SETTINGS_MODULE=config.settings.production \
    DATABASE_URL=${DATABASE_URL}
CMD gunicorn config.wsgi:application --bind 0.0.0.0:${PORT:-8000} --workers ${WEB_CONCURRENCY}

FROM web AS worker
CMD ["celery", "-A", "config", "worker", "-l", "info"]
