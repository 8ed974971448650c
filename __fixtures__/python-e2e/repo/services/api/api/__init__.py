def run():
    print("api up")
