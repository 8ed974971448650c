"""Offline stand-in for the grpcio distribution (import name: grpc), for the e2e test only."""

__version__ = "1.60.0"


def insecure_channel(target):
    return ("channel", target)
