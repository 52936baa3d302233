"""A warm real host for the test suite: the real spec-kitty, imported once, forked per call.

A cold `spec-kitty` start spends 2-6 s of CPU importing ~1,400 modules and building its command
tree before it runs a command that takes ~0.1 s; the suite makes about a thousand such calls on
two cores. This process does the start-up once, in exactly the environment and working directory
of the calls it will serve (the client keys zygotes by binary, environment and cwd, so the
import-time state is the one a cold start of that call would build), then forks a child per call
that runs the host's own `main()` with the caller's argv and file descriptors. The host's code,
its files and its answers are the real ones; only the process start is shared.

Started by client.py as: python zygote.py <socket path> <real spec-kitty script> <idle seconds>.
Protocol on the unix socket, per connection:
  client -> zygote: one message carrying the caller's fds 0, 1, 2 (SCM_RIGHTS) and its argv as
                    JSON; later, any number of b"S<signal>\\n" to forward a signal to the child.
  zygote -> client: b"F<pid>\\n" once forked, then b"X<code>\\n" or b"K<signal>\\n" at the end.
A client that goes away before its child ended takes the child with it (SIGKILL): the client is
the host process as far as its caller knows, and a killed host process does not go on working.
"""

import array
import json
import os
import runpy
import selectors
import signal
import socket
import sys
import threading
import time
import traceback


def load_host(script: str):
    """Imports the host exactly as its console script does and builds its command tree once."""
    namespace = runpy.run_path(script, run_name="sko_warm_host")
    host_main = namespace["main"]
    module = sys.modules.get(host_main.__module__)
    # The host caches its assembled Typer app in-process (a second main() in one process reuses
    # it); building it here is what makes a call cheap.
    assemble = getattr(module, "_assemble_app", None) or getattr(module, "_get_app", None)
    # (A plain console script of a test host has neither: nothing to build.)
    if assemble is not None:
        assemble()
    return host_main


def receive_request(conn: socket.socket):
    fds = array.array("i")
    data, ancdata, _flags, _addr = conn.recvmsg(1 << 20, socket.CMSG_LEN(3 * fds.itemsize))
    for level, kind, payload in ancdata:
        if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
            fds.frombytes(payload[: len(payload) - (len(payload) % fds.itemsize)])
    if len(fds) != 3 or not data:
        for fd in fds:
            os.close(fd)
        return None
    return json.loads(data.decode("utf-8")), list(fds)


def run_child(host_main, script: str, message: dict, fds: list) -> None:
    """In the forked child: become the host process of this call, then exit as Python would."""
    for target, fd in enumerate(fds):
        os.dup2(fd, target)
        os.close(fd)
    # Equal by the zygote's key already (but for `_`); set exactly as the caller has them.
    os.environ.clear()
    os.environ.update(message["env"])
    os.chdir(message["cwd"])
    sys.argv = [script, *message["argv"]]
    code = 0
    try:
        result = host_main()
        if result is not None:
            raise SystemExit(result)
    except SystemExit as stop:
        code = exit_code_of(stop.code)
    except KeyboardInterrupt:
        traceback.print_exc()
        finish()
        # Python ends an uncaught KeyboardInterrupt by dying of SIGINT: so does the child.
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGINT)
    except BaseException:
        kind, error, trace = sys.exc_info()
        # From the host's frames on, as a cold start prints it (this function's frame is ours).
        sys.excepthook(kind, error, trace.tb_next if trace is not None else None)
        code = 1
    finish()
    os._exit(code)


def exit_code_of(value) -> int:
    """What the interpreter makes of SystemExit(value) at the top level."""
    if value is None:
        return 0
    if isinstance(value, int):
        return value & 0xFF
    try:
        print(value, file=sys.stderr)
    except Exception:
        pass
    return 1


def finish() -> None:
    """The interpreter's own shutdown steps a cold run takes: threads, atexit, stdio flush."""
    try:
        threading._shutdown()  # noqa: SLF001 - what Py_FinalizeEx calls first
    except Exception:
        pass
    try:
        import atexit

        atexit._run_exitfuncs()  # noqa: SLF001
    except Exception:
        pass
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:
            pass


class Zygote:
    def __init__(self, socket_path: str, script: str, idle_seconds: float):
        self.socket_path = socket_path
        self.script = script
        self.idle_seconds = idle_seconds
        self.host_main = load_host(script)
        # Forking with a second thread alive would copy its locks half-held: refuse to serve.
        if threading.active_count() != 1:
            raise SystemExit("the host started a thread at import: a warm host cannot fork it")
        self.selector = selectors.DefaultSelector()
        self.children: dict = {}  # pid -> connection
        self.pending: dict = {}  # connection -> bytes buffered from the client
        self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        # Bound under a temporary name and renamed: a client never connects to a half-ready zygote.
        staging = f"{socket_path}.{os.getpid()}"
        self.listener.bind(staging)
        self.listener.listen(64)
        os.rename(staging, socket_path)
        self.selector.register(self.listener, selectors.EVENT_READ, "accept")
        self.last_busy = time.monotonic()

    def serve(self) -> None:
        while True:
            for key, _mask in self.selector.select(timeout=0.02):
                if key.data == "accept":
                    self.accept()
                else:
                    self.read_client(key.fileobj)
            self.reap()
            if self.children or self.pending:
                self.last_busy = time.monotonic()
            elif time.monotonic() - self.last_busy > self.idle_seconds:
                self.retire()
                return

    def accept(self) -> None:
        conn, _ = self.listener.accept()
        conn.setblocking(True)
        request = receive_request(conn)
        if request is None:
            conn.close()
            return
        message, fds = request
        for stream in (sys.stdout, sys.stderr):
            stream.flush()
        pid = os.fork()
        if pid == 0:
            self.selector.close()
            self.listener.close()
            for other in list(self.pending):
                other.close()
            conn.close()
            run_child(self.host_main, self.script, message, fds)
        for fd in fds:
            os.close(fd)
        self.children[pid] = conn
        self.pending[conn] = b""
        conn.setblocking(False)
        self.selector.register(conn, selectors.EVENT_READ, pid)
        self.send(conn, f"F{pid}\n")

    def read_client(self, conn: socket.socket) -> None:
        pid = self.selector.get_key(conn).data
        try:
            chunk = conn.recv(4096)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            chunk = b""
        if not chunk:
            # The client (the host process, for its caller) is gone: so is this call.
            self.drop(conn)
            if pid in self.children:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            return
        buffer = self.pending.get(conn, b"") + chunk
        *lines, rest = buffer.split(b"\n")
        self.pending[conn] = rest
        for line in lines:
            if line.startswith(b"S") and pid in self.children:
                try:
                    os.kill(pid, int(line[1:]))
                except (ProcessLookupError, ValueError):
                    pass

    def reap(self) -> None:
        while self.children:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            conn = self.children.pop(pid, None)
            if conn is None:
                continue
            if os.WIFSIGNALED(status):
                self.send(conn, f"K{os.WTERMSIG(status)}\n")
            else:
                self.send(conn, f"X{os.waitstatus_to_exitcode(status)}\n")
            self.drop(conn)

    def send(self, conn: socket.socket, text: str) -> None:
        try:
            conn.setblocking(True)
            conn.sendall(text.encode("ascii"))
            conn.setblocking(False)
        except OSError:
            pass

    def drop(self, conn: socket.socket) -> None:
        if conn in self.pending:
            del self.pending[conn]
            try:
                self.selector.unregister(conn)
            except (KeyError, ValueError):
                pass
            conn.close()

    def retire(self) -> None:
        # Unlinked first: a client that finds no socket starts a new zygote; one already queued
        # on this socket sees its connection close before the F line and retries the same way.
        try:
            os.unlink(self.socket_path)
        except FileNotFoundError:
            pass
        self.listener.close()


def main() -> None:
    socket_path, script, idle = sys.argv[1], sys.argv[2], float(sys.argv[3])
    # What a cold start of the script has in sys.argv while it imports.
    sys.argv = [script]
    sys.path[0] = os.path.dirname(script)
    zygote = Zygote(socket_path, script, idle)
    with open(f"{socket_path}.pid", "w", encoding="ascii") as pidfile:
        pidfile.write(str(os.getpid()))
    try:
        zygote.serve()
    finally:
        try:
            os.unlink(f"{socket_path}.pid")
        except FileNotFoundError:
            pass


if __name__ == "__main__":
    main()
