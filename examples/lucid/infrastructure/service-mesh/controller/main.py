"""Entry point: python -m controller.main"""


def main() -> None:
    print("controller started")


if __name__ == "__main__":
    main()
