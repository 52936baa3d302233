"""The `spec-kitty` a warm-host test calls: hands the call to a zygote of the real host.

Run through a generated stub (warm-host.ts writes it per pinned host) as
    client.main(real_script, python, state_dir, idle_seconds)
with the interpreter flags -I -S, so this process starts in ~20 ms. It finds (or starts) the
zygote for this exact call environment: the real script, every environment variable and the
working directory make the key, because the host reads its environment and files while it
imports. It passes fds 0-2 and argv, forwards the signals a caller sends a host process (TERM,
INT, HUP, QUIT), and ends the way the host's child ended: the same exit code, or killed by the
same signal. When no zygote can serve (a sandbox without the state directory, a failed start),
it becomes the cold host itself (exec), so a call is never lost, only slower.
"""

import array
import fcntl
import hashlib
import json
import os
import signal
import socket
import subprocess
import sys
import time

FORWARDED = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGQUIT)
ZYGOTE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "zygote.py")
START_TIMEOUT_S = 300.0


class NotServed(Exception):
    """The zygote closed the connection before forking: the call never ran, try again."""


def call_env() -> dict:
    # `_` is the shell's "last command" and differs between otherwise equal calls; the child
    # still receives it (the whole environment travels with the call).
    return {name: value for name, value in os.environ.items() if name != "_"}


def key_of(script: str) -> str:
    text = json.dumps([script, os.getcwd(), sorted(call_env().items())])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]


def connect(path: str):
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        conn.connect(path)
        return conn
    except OSError:
        conn.close()
        return None


def start_zygote(sock: str, script: str, python: str, idle: str):
    """Under the key's lock: connect, or start the zygote and wait until it listens."""
    with open(f"{sock}.lock", "a+b") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        conn = connect(sock)
        if conn is not None:
            return conn
        zygote = subprocess.Popen(
            [python, ZYGOTE, sock, script, idle],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=open(f"{sock}.log", "ab"),
            start_new_session=True,
            close_fds=True,
        )
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            conn = connect(sock)
            if conn is not None:
                return conn
            if zygote.poll() is not None:
                return None
            time.sleep(0.02)
        zygote.kill()
        return None


def serve_once(conn: socket.socket) -> int:
    payload = json.dumps({"argv": sys.argv[1:], "env": dict(os.environ), "cwd": os.getcwd()}).encode("utf-8")
    conn.sendmsg([payload], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array("i", [0, 1, 2]))])
    reader = conn.makefile("rb")
    first = reader.readline()
    if not first.startswith(b"F"):
        raise NotServed()

    def forward(signum, _frame):
        try:
            conn.sendall(f"S{signum}\n".encode("ascii"))
        except OSError:
            pass

    for signum in FORWARDED:
        signal.signal(signum, forward)
    while True:
        try:
            line = reader.readline()
            break
        except InterruptedError:
            continue
    for signum in FORWARDED:
        signal.signal(signum, signal.SIG_DFL)
    if line.startswith(b"X"):
        return int(line[1:])
    if line.startswith(b"K"):
        signum = int(line[1:])
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)
        time.sleep(1)
    # The zygote itself died under the call: a host process that vanished.
    print("warm host: the zygote ended during the call", file=sys.stderr)
    return 70


def count(state_dir: str, mark: bytes) -> None:
    """One byte per call in the state dir's tally (w: warm, c: cold fallback) for the report."""
    try:
        fd = os.open(os.path.join(state_dir, "calls"), os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        os.write(fd, mark)
        os.close(fd)
    except OSError:
        pass


def main(script: str, python: str, state_dir: str, idle: str) -> None:
    code = None
    try:
        os.makedirs(state_dir, exist_ok=True)
        # Read-only here (an agent's sandbox mounts it so): a zygote outside the sandbox must not
        # answer for a process inside it, so the call runs cold, confined like the caller.
        if not os.access(state_dir, os.W_OK):
            raise PermissionError(state_dir)
        sock = os.path.join(state_dir, key_of(script) + ".sock")
        for _attempt in range(3):
            conn = connect(sock) or start_zygote(sock, script, python, idle)
            if conn is None:
                break
            try:
                code = serve_once(conn)
                break
            except NotServed:
                continue
            finally:
                conn.close()
    except OSError:
        code = None
    if code is None:
        count(state_dir, b"c")
        os.execv(script, [script, *sys.argv[1:]])
    count(state_dir, b"w")
    sys.stdout.flush()
    os._exit(code)
