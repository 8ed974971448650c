ARG CUDA=12.4.1
ARG UBUNTU=22.04
FROM nvidia/cuda:${CUDA}-cudnn-devel-ubuntu${UBUNTU} AS build
RUN apt-get update && apt-get install -y python3.11 python3.11-venv python3-pip git \
    # keep the image small
    && rm -rf /var/lib/apt/lists/*
RUN python3.11 -m venv /venv
ENV PATH=/venv/bin:$PATH
COPY requirements.txt /tmp/
RUN pip install -r /tmp/requirements.txt && \
    python -c "import torch, PIL, sklearn; print(torch.__version__)"

FROM nvidia/cuda:${CUDA}-cudnn-runtime-ubuntu${UBUNTU}
COPY --from=build /venv /venv
ENV PATH=/venv/bin:$PATH HF_TOKEN=$HF_TOKEN
WORKDIR /workspace
COPY app/ app/
ENTRYPOINT ["python", "-m", "app.main"]
