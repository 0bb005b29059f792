"""A tiny Chromium driver for the browser tests: the DevTools protocol over a pipe.

``chromium --remote-debugging-pipe`` reads JSON commands from file descriptor 3
and writes replies to descriptor 4, each message ended by a NUL byte. That is
all a test needs to open a page, click a button, read the DOM and take a
screenshot — no websocket library, no network port, nothing to install.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import shutil
import subprocess
import tempfile
import time


def find_chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


class Chromium:
    """One headless Chromium with one page; use as a context manager."""

    def __init__(self, executable: str, width: int = 1100, height: int = 800, timeout: float = 30.0):
        self.timeout = timeout
        self._profile = tempfile.TemporaryDirectory(prefix="tgk-chromium-")
        to_chromium_read, to_chromium_write = os.pipe()
        from_chromium_read, from_chromium_write = os.pipe()

        def give_pipes_to_chromium():  # runs in the child: fds 3 and 4 are the protocol
            # Copy both ends above 10 first, so neither is overwritten by the other's dup2.
            reading = fcntl.fcntl(to_chromium_read, fcntl.F_DUPFD, 10)
            writing = fcntl.fcntl(from_chromium_write, fcntl.F_DUPFD, 10)
            os.dup2(reading, 3)
            os.dup2(writing, 4)

        self.process = subprocess.Popen(
            [executable, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
             "--no-first-run", "--disable-background-networking", "--disable-component-update",
             "--disable-sync", "--disable-extensions", "--hide-scrollbars", "--mute-audio",
             f"--window-size={width},{height}", f"--user-data-dir={self._profile.name}",
             "--remote-debugging-pipe", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            preexec_fn=give_pipes_to_chromium, pass_fds=(3, 4))
        os.close(to_chromium_read)
        os.close(from_chromium_write)
        self._write = os.fdopen(to_chromium_write, "wb", buffering=0)
        self._read = os.fdopen(from_chromium_read, "rb", buffering=0)
        self._buffer = b""
        self._next_id = 0
        self.session = None
        self.session = self._attach_to_page()
        self.send("Page.enable")
        self.send("Runtime.enable")

    # ------------------------------------------------------------ protocol
    def send(self, method: str, **params) -> dict:
        """Send one command and wait for its reply; return the reply's ``result``."""
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params}
        if self.session is not None:
            message["sessionId"] = self.session
        self._write.write(json.dumps(message).encode("utf-8") + b"\0")
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            reply = self._receive()
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
        raise TimeoutError(f"Chromium did not answer {method} in {self.timeout} s")

    def _receive(self) -> dict:
        while b"\0" not in self._buffer:
            chunk = self._read.read(65536)
            if not chunk:
                raise RuntimeError("Chromium closed the DevTools pipe")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def _attach_to_page(self) -> str:
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:  # the first page may take a moment to appear
            targets = self.send("Target.getTargets")["targetInfos"]
            pages = [target for target in targets if target["type"] == "page"]
            if pages:
                return self.send("Target.attachToTarget", targetId=pages[0]["targetId"],
                                 flatten=True)["sessionId"]
            time.sleep(0.05)
        raise TimeoutError("Chromium opened no page")

    # ------------------------------------------------------------ page use
    def open(self, url: str) -> None:
        self.send("Page.navigate", url=url)
        self.wait_for("document.readyState === 'complete'")

    def evaluate(self, expression: str):
        result = self.send("Runtime.evaluate", expression=expression, returnByValue=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"JavaScript error in {expression!r}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def wait_for(self, expression: str) -> None:
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            if self.evaluate(expression):
                return
            time.sleep(0.05)
        raise TimeoutError(f"{expression!r} never became true")

    def click(self, selector: str) -> None:
        """A real mouse click in the middle of the element (press and release)."""
        box = self.evaluate(
            f"(function () {{ var r = document.querySelector({json.dumps(selector)}).getBoundingClientRect();"
            " return [r.left + r.width / 2, r.top + r.height / 2]; })()")
        for event in ("mousePressed", "mouseReleased"):
            self.send("Input.dispatchMouseEvent", type=event, x=box[0], y=box[1], button="left", clickCount=1)

    def press_key(self, key: str, code: str, key_code: int) -> None:
        for event in ("keyDown", "keyUp"):
            self.send("Input.dispatchKeyEvent", type=event, key=key, code=code,
                      windowsVirtualKeyCode=key_code)

    def screenshot(self) -> bytes:
        """The visible page as PNG bytes."""
        return base64.b64decode(self.send("Page.captureScreenshot", format="png")["data"])

    # ------------------------------------------------------------ lifetime
    def close(self) -> None:
        try:
            self.session = None
            self.send("Browser.close")
        except Exception:
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._write.close()
        self._read.close()
        self._profile.cleanup()

    def __enter__(self) -> "Chromium":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
