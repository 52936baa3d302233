"""A console script shaped like spec-kitty's (`from <module> import main`) for the warm-host
tests: each argv word is one thing a host process does, so a test can check that a forked call
behaves as a cold start of the same script would."""

import os
import sys
import time

STARTED_AT_IMPORT = os.environ.get("STAND_IN_MARK", "")


def main():
    for word in sys.argv[1:]:
        name, _, value = word.partition("=")
        if name == "print":
            print(value, flush=True)
        elif name == "env":
            print(os.environ.get(value, "<unset>"), flush=True)
        elif name == "cwd":
            print(os.getcwd(), flush=True)
        elif name == "import-mark":
            print(STARTED_AT_IMPORT, flush=True)
        elif name == "stdin":
            print(sys.stdin.read().upper(), end="", flush=True)
        elif name == "stderr":
            print(value, file=sys.stderr, flush=True)
        elif name == "sleep":
            time.sleep(float(value))
        elif name == "pid":
            print(os.getpid(), flush=True)
        elif name == "exit":
            sys.exit(int(value))
        elif name == "raise":
            raise RuntimeError(value)
    return None


if __name__ == "__main__":
    sys.exit(main())
