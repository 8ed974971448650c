FROM python:3.12-slim AS base
ENV PIP_NO_CACHE_DIR=1 \
    PYTHONDONTWRITEBYTECODE=1

FROM base AS wheels
WORKDIR /wheels
COPY requirements.txt .
RUN pip wheel -r requirements.txt -w /wheels

FROM base
RUN useradd --create-home --uid 10001 app
WORKDIR /home/app
COPY --from=wheels /wheels /wheels
RUN pip install --no-index --find-links=/wheels /wheels/*.whl && rm -rf /wheels
COPY app ./app
USER app
CMD gunicorn --bind 0.0.0.0:$PORT app.wsgi:application
