from cgr.dev/chainguard/python:latest-dev AS dev
workdir /app
run python -m venv /app/venv
env PATH="/app/venv/bin:$PATH"
copy requirements.txt .
run pip install -r requirements.txt

from cgr.dev/chainguard/python:latest
workdir /app
copy --from=dev /app/venv /app/venv
copy main.py .
env PATH="/app/venv/bin:$PATH"
entrypoint ["python", "main.py"]
