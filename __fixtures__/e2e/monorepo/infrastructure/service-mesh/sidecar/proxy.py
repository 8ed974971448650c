def describe():
    return "sidecar proxy"
