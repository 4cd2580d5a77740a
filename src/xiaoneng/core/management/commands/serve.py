"""Serve the app with gunicorn; `--with-worker` runs the task worker beside it.

Both run as child processes. SIGINT/SIGTERM stop both; if the web server exits, the worker
is stopped too; if the worker dies, it is restarted (the scheduled jobs must keep running).
"""

import os
import shutil
import signal
import subprocess
import sys
import time

from django.core.management.base import BaseCommand


def _stop(proc: subprocess.Popen | None, sig=signal.SIGTERM, timeout: float = 10) -> None:
    if proc is None or proc.poll() is not None:
        return
    proc.send_signal(sig)
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


class Command(BaseCommand):
    help = "Serve Xiaoneng (gunicorn), optionally with the Huey task worker beside it."

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=os.environ.get("XIAONENG_BIND", "127.0.0.1:8000"))
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", 2))
        )
        parser.add_argument("--with-worker", action="store_true", help="also run the task worker")

    def _start_worker(self) -> subprocess.Popen:
        return subprocess.Popen([sys.executable, "-m", "xiaoneng.manage", "worker"])

    def handle(self, *args, bind, workers, with_worker, **options):
        stopping = False

        def on_signal(signum, frame):
            nonlocal stopping
            stopping = True

        previous = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
        worker = self._start_worker() if with_worker else None
        gunicorn = shutil.which("gunicorn", path=os.path.dirname(sys.executable)) or "gunicorn"
        cmd = [gunicorn, "xiaoneng.wsgi:application", "--bind", bind, "--workers", str(workers)]
        cmd += ["--access-logfile", "-", "--timeout", "120"]
        # gunicorn's control socket defaults to one path per user (~/.gunicorn/gunicorn.ctl):
        # a second server on the machine would take it over. Nothing here uses it.
        cmd += ["--no-control-socket"]
        web = subprocess.Popen(cmd)
        self.stdout.write(
            self.style.SUCCESS(
                f"Xiaoneng: http://{bind}/  (Ctrl-C to stop)"
                + ("  — task worker running beside it" if worker else "")
            )
        )
        self.stdout.flush()
        code = 0
        try:
            while not stopping:
                if web.poll() is not None:
                    code = web.returncode
                    break
                if worker is not None and worker.poll() is not None:
                    self.stderr.write(f"task worker exited ({worker.returncode}); restarting it")
                    time.sleep(1)
                    worker = self._start_worker()
                time.sleep(0.5)
        finally:
            _stop(web)
            _stop(worker, signal.SIGINT)
            for s, handler in previous.items():
                signal.signal(s, handler)
        if code:
            sys.exit(code)
