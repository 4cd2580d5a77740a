"""`python -m xiaoneng.manage ...` — Django management for Xiaoneng."""

from xiaoneng.cli import main

if __name__ == "__main__":
    main()
