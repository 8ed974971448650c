ARG PYTHON=3.12

FROM python:${PYTHON}-slim AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY requirements.txt ./
RUN --mount=type=cache,target=/root/.cache/pip \
    pip install --user -r requirements.txt
COPY app ./app

FROM python:${PYTHON}-slim AS runtime
RUN groupadd --gid 1000 web && useradd --uid 1000 --gid web --no-create-home web
WORKDIR /srv
COPY --from=build /root/.local /home/web/.local
COPY --from=build /src/app /srv/app
ENV PATH=/home/web/.local/bin:$PATH
USER web
EXPOSE 8000
CMD ["uvicorn", "app.main:app", "--host", "0.0.0.0", "--port", "8000"]
