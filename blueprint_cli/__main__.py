"""Entry point for `python -m blueprint_cli`."""

from blueprint_cli.cli import main

if __name__ == "__main__":
    main()
