"""A deliberately slow SMS backend, so a test can kill a worker in the middle of a send."""

import time

from xiaoneng.core.notify import LogSmsBackend


class SlowSmsBackend(LogSmsBackend):
    def send(self, *, key: str, phone: str, text: str) -> None:
        time.sleep(0.3)
        super().send(key=key, phone=phone, text=text)
