FROM cgr.dev/chainguard/python:latest-dev AS dev
WORKDIR /app
RUN python -m venv /app/venv
ENV PATH="/app/venv/bin:$PATH"
COPY requirements.txt .
RUN pip install -r requirements.txt

FROM cgr.dev/chainguard/python:latest
WORKDIR /app
COPY --from=dev /app/venv /app/venv
COPY main.py .
ENV PATH="/app/venv/bin:$PATH"
ENTRYPOINT ["python", "main.py"]
