# A base image others build FROM; its ONBUILD triggers run in their builds.
FROM python:3.10-alpine
ENV APP_ROOT=/opt/app
WORKDIR ${APP_ROOT}
ONBUILD ARG PIP_INDEX_URL
ONBUILD COPY requirements.txt ${APP_ROOT}/
ONBUILD RUN pip install --index-url "${PIP_INDEX_URL:-https://pypi.org/simple}" -r requirements.txt
ONBUILD COPY . ${APP_ROOT}
STOPSIGNAL SIGINT
CMD ["python", "-m", "app"]
