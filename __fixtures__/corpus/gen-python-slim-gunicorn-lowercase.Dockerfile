from python:3.12-slim AS base
env PIP_NO_CACHE_DIR=1 \
    PYTHONDONTWRITEBYTECODE=1

from base AS wheels
workdir /wheels
copy requirements.txt .
run pip wheel -r requirements.txt -w /wheels

from base
run useradd --create-home --uid 10001 app
workdir /home/app
copy --from=wheels /wheels /wheels
run pip install --no-index --find-links=/wheels /wheels/*.whl && rm -rf /wheels
copy app ./app
user app
cmd gunicorn --bind 0.0.0.0:$PORT app.wsgi:application
