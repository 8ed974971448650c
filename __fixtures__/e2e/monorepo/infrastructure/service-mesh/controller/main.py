"""Entry point: python -m controller.main"""

import consul
import grpc

from sidecar import proxy


def main():
    client = consul.Consul()
    channel = grpc.insecure_channel(f"{client.host}:50051")
    print("controller up", channel, proxy.describe())


if __name__ == "__main__":
    main()
