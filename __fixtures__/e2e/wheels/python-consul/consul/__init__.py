"""Offline stand-in for the python-consul distribution (import name: consul), for the e2e test only."""


class Consul:
    def __init__(self, host="127.0.0.1", port=8500):
        self.host = host
        self.port = port
