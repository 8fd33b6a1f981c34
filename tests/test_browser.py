"""The lessons in a real browser: JupyterLab driven by headless Chromium.

nbval proves the Python runs; this proves a student sees working widgets. Each
lesson is opened in JupyterLab, run through the UI, and checked: no error output,
every widget view rendered, charts shown as images, and one real interaction
(answering a quiz question) changes what is shown. Screenshots go to
``artifacts/browser/``.

Needs Debian's ``chromium`` and the ``playwright`` package (never ``playwright
install``). Without them the tests are skipped with a reason, unless
``TREATYLIB_REQUIRE_BROWSER=1`` (as in CI), which turns the skip into a failure.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
LESSONS = sorted((ROOT / "notebooks").glob("*.ipynb"))
ARTIFACTS = ROOT / "artifacts" / "browser"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
]
REQUIRED = os.environ.get("TREATYLIB_REQUIRE_BROWSER") == "1"


def _missing() -> str | None:
    if not Path(CHROMIUM).exists():
        return f"no Chromium at {CHROMIUM} (on Debian: apt install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install -e '.[test]')"
    return None


@pytest.fixture(scope="module")
def browser_ready():
    reason = _missing()
    if reason and REQUIRED:
        pytest.fail(f"TREATYLIB_REQUIRE_BROWSER=1 but {reason}")
    if reason:
        pytest.skip(reason)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback only
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except (urllib.error.URLError, OSError):
        return 0  # not answering (yet)


def _listening_addresses(port: int) -> set[str]:
    """Local addresses with a listening TCP socket on ``port`` (from /proc/net)."""
    found = set()
    for table, width in (("/proc/net/tcp", 8), ("/proc/net/tcp6", 32)):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            local, state = line.split()[1], line.split()[3]
            addr, hexport = local.split(":")
            if state == "0A" and int(hexport, 16) == port:  # 0A = LISTEN
                if width == 8:
                    found.add(socket.inet_ntop(socket.AF_INET, bytes.fromhex(addr)[::-1]))
                else:
                    raw = b"".join(bytes.fromhex(addr[i : i + 8])[::-1] for i in range(0, 32, 8))
                    found.add(socket.inet_ntop(socket.AF_INET6, raw))
    return found


@pytest.fixture(scope="module")
def lab(browser_ready, tmp_path_factory):
    """JupyterLab on a free loopback port, with a random token, serving a copy of the lessons."""
    base = tmp_path_factory.mktemp("lab")
    served = base / "lessons"
    served.mkdir()
    for lesson in LESSONS:
        shutil.copy(lesson, served / lesson.name)
    settings = base / "settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True)
    (settings / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False}), encoding="utf-8"
    )
    env = dict(os.environ)
    for var, sub in (
        ("JUPYTER_CONFIG_DIR", "config"),
        ("JUPYTER_RUNTIME_DIR", "runtime"),
        ("JUPYTERLAB_WORKSPACES_DIR", "workspaces"),
        ("IPYTHONDIR", "ipython"),
        ("MPLCONFIGDIR", "mpl"),
    ):
        (base / sub).mkdir()
        env[var] = str(base / sub)
    env["JUPYTERLAB_SETTINGS_DIR"] = str(base / "settings")
    port, token = _free_port(), secrets.token_hex(16)
    cmd = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={served}",
        "--LabApp.expose_app_in_browser=True",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")
    log = open(base / "lab.log", "wb")  # noqa: SIM115 - closed in the teardown
    proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while _get(f"{url}/api/status?token={token}") != 200:
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail("JupyterLab did not start:\n" + (base / "lab.log").read_text())
        time.sleep(0.5)
    yield {"url": url, "token": token, "port": port, "served": served}
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


@pytest.fixture(scope="module")
def context(lab, tmp_path_factory):
    from playwright.sync_api import sync_playwright

    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as pw:
        ctx = pw.chromium.launch_persistent_context(
            str(profile),
            executable_path=CHROMIUM,
            headless=True,
            args=FLAGS,
            viewport={"width": 1280, "height": 900},
        )
        yield ctx
        ctx.close()


def test_server_refuses_requests_without_the_token(lab):
    assert _get(f"{lab['url']}/api/contents") == 403
    assert _get(f"{lab['url']}/api/contents?token={lab['token']}") == 200


def test_server_listens_on_loopback_only(lab):
    addresses = _listening_addresses(lab["port"])
    assert addresses, "no listening socket found for the server's port"
    assert addresses <= {"127.0.0.1", "::1"}, addresses


# The notebook widget for the lesson, or null while JupyterLab is still opening it.
NOTEBOOK = """(path) => {
  const app = window.jupyterapp;
  if (!app) return null;
  for (const w of app.shell.widgets('main')) {
    if (w.context && w.context.path === path && w.content) return w;
  }
  return null;
}"""

KERNEL_IDLE = """(path) => {
  const w = (FIND_NOTEBOOK)(path);
  const k = w && w.sessionContext.session && w.sessionContext.session.kernel;
  return !!k && k.status === 'idle' && k.connectionStatus === 'connected';
}""".replace("FIND_NOTEBOOK", NOTEBOOK)

ALL_RUN = """(path) => {
  const w = (FIND_NOTEBOOK)(path);
  const k = w && w.sessionContext.session && w.sessionContext.session.kernel;
  if (!k || k.status !== 'idle') return false;
  const cells = w.content.widgets.filter(c => c.model.type === 'code' &&
                                          c.model.sharedModel.getSource().trim() !== '');
  return cells.every(c => c.model.executionCount !== null);
}""".replace("FIND_NOTEBOOK", NOTEBOOK)

ERRORS = """(path) => {
  const w = (FIND_NOTEBOOK)(path);
  const out = [];
  for (const c of w.content.widgets) {
    if (c.model.type !== 'code') continue;
    for (const o of c.model.outputs.toJSON()) {
      if (o.output_type === 'error') out.push(o.ename + ': ' + o.evalue);
    }
  }
  return out;
}""".replace("FIND_NOTEBOOK", NOTEBOOK)


@pytest.mark.parametrize("lesson", LESSONS, ids=[p.stem for p in LESSONS])
def test_lesson_runs_and_its_widgets_work_in_jupyterlab(lesson, lab, context):
    page = context.new_page()
    page_errors, console_errors = [], []
    page.on("pageerror", lambda exc: page_errors.append(str(exc)))
    page.on("console", lambda msg: msg.type == "error" and console_errors.append(msg.text))
    # ?reset: a fresh workspace, so earlier lessons' tabs are not restored.
    page.goto(f"{lab['url']}/lab/tree/{lesson.name}?reset&token={lab['token']}")
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=90_000)
    page.wait_for_function(KERNEL_IDLE, arg=lesson.name, timeout=90_000, polling=500)
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
    page.wait_for_function(ALL_RUN, arg=lesson.name, timeout=240_000, polling=500)

    assert page.evaluate(ERRORS, lesson.name) == []
    # Widget views are drawn, not stuck or broken.
    page.wait_for_selector(".treatylib-quiz", timeout=60_000)
    page.wait_for_function(
        "() => !document.body.innerText.includes('Loading widget')", timeout=60_000
    )
    text = page.inner_text(".jp-Notebook")
    assert "Error displaying widget" not in text
    assert "Loading widget" not in text
    assert page.locator(".jp-OutputArea .jupyter-widgets").count() > 0
    # Charts appear as images (static charts, or PNGs inside widgets).
    assert page.locator(".jp-OutputArea img").count() > 0

    # A real interaction: answer the first quiz question, and feedback appears.
    quiz = page.locator(".treatylib-quiz").first
    quiz.scroll_into_view_if_needed()
    before = quiz.inner_text()
    assert "Correct" not in before and "Not quite" not in before
    quiz.locator("input[type=radio]").first.check()
    page.wait_for_function(
        "() => { const q = document.querySelector('.treatylib-quiz');"
        " return q && /Correct|Not quite/.test(q.innerText); }",
        timeout=30_000,
    )
    assert "(1 answered)" in quiz.inner_text()

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{lesson.stem}.png"), full_page=False)
    quiz.screenshot(path=str(ARTIFACTS / f"{lesson.stem}_quiz.png"))
    first_widget = page.locator(".jp-OutputArea .jupyter-widgets.widget-vbox").first
    first_widget.scroll_into_view_if_needed()
    first_widget.screenshot(path=str(ARTIFACTS / f"{lesson.stem}_widget.png"))
    page.close()
    assert page_errors == [], page_errors
    if console_errors:
        print(f"{lesson.stem}: {len(console_errors)} console error(s), e.g. {console_errors[0]}")
