FROM python:3.12-slim
RUN <<PY python3
import sys
print(sys.version)
PY
CMD ["python3"]
