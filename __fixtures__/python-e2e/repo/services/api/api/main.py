import yaml, dotenv
print("main")
