import sys

from captioner.cli import main

if __name__ == "__main__":  # not in a child process started by multiprocessing
    sys.exit(main())
