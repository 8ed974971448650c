arg PY=3.11
from python:${PY}-bookworm AS build
env POETRY_HOME=/opt/poetry
run pip install poetry==1.8.3
workdir /src
copy pyproject.toml poetry.lock ./
run --mount=type=secret,id=pypi_token,env=POETRY_HTTP_BASIC_PRIVATE_PASSWORD \
    --mount=type=cache,target=/root/.cache/pypoetry \
    poetry export -f requirements.txt -o requirements.txt && \
    pip install --prefix=/install -r requirements.txt
copy src/ ./src/

from python:${PY}-slim
copy --from=build /install /usr/local
copy --from=build /src/src /app/src
env API_TOKEN=$API_TOKEN
workdir /app
entrypoint ["python", "-m", "src.service"]
