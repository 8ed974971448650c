ARG PY=3.11
FROM python:${PY}-bookworm AS build
ENV POETRY_HOME=/opt/poetry
RUN pip install poetry==1.8.3
WORKDIR /src
COPY pyproject.toml poetry.lock ./
RUN --mount=type=secret,id=pypi_token,env=POETRY_HTTP_BASIC_PRIVATE_PASSWORD \
    --mount=type=cache,target=/root/.cache/pypoetry \
    poetry export -f requirements.txt -o requirements.txt && \
    pip install --prefix=/install -r requirements.txt
COPY src/ ./src/

FROM python:${PY}-slim
COPY --from=build /install /usr/local
COPY --from=build /src/src /app/src
ENV API_TOKEN=$API_TOKEN
WORKDIR /app
ENTRYPOINT ["python", "-m", "src.service"]
