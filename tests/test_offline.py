"""The lessons need no network: they run in a kernel whose outbound connections fail.

The unit tests themselves run with sockets disabled by pytest-socket (loopback
only, for the kernels nbval starts); see the Makefile's test command.
"""

from __future__ import annotations

import os
import socket
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

ROOT = Path(__file__).resolve().parent.parent
LESSONS = sorted((ROOT / "notebooks").glob("*.ipynb"))

# Imported by every Python process that has GUARD on its path: refuses any
# connection that does not go to this machine.
GUARD = """
import ipaddress
import socket

_connect = socket.socket.connect
_connect_ex = socket.socket.connect_ex


def _local(address):
    host = address[0] if isinstance(address, tuple) else address
    if isinstance(host, bytes):
        host = host.decode()
    if host in ("localhost", "") or not isinstance(host, str):
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


def _guarded(self, address):
    if self.family in (socket.AF_INET, socket.AF_INET6) and not _local(address):
        raise OSError(101, "network is unreachable (treatylib offline test)")
    return _connect(self, address)


def _guarded_ex(self, address):
    if self.family in (socket.AF_INET, socket.AF_INET6) and not _local(address):
        return 101
    return _connect_ex(self, address)


socket.socket.connect = _guarded
socket.socket.connect_ex = _guarded_ex
"""


@pytest.fixture(scope="module")
def offline_env(tmp_path_factory) -> dict[str, str]:
    guard = tmp_path_factory.mktemp("offline")
    (guard / "sitecustomize.py").write_text(GUARD, encoding="utf-8")
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(guard), env.get("PYTHONPATH")]))
    return env


def run(nb, env) -> None:
    NotebookClient(nb, timeout=120, kernel_name="python3").execute(env=env)


def test_the_guard_really_blocks_outbound_connections(offline_env):
    """Without this, the lesson runs below could pass for the wrong reason."""
    probe = nbformat.v4.new_notebook()
    probe.cells = [
        nbformat.v4.new_code_cell(
            "import socket\n"
            "try:\n"
            "    socket.create_connection(('93.184.216.34', 80), timeout=5)\n"
            "    print('CONNECTED')\n"
            "except OSError as exc:\n"
            "    print('BLOCKED', exc.errno)\n"
        )
    ]
    run(probe, offline_env)
    text = probe.cells[0].outputs[0]["text"]
    assert text.startswith("BLOCKED"), text


@pytest.mark.parametrize("path", LESSONS, ids=[p.stem for p in LESSONS])
def test_lesson_runs_with_no_network(path, offline_env):
    nb = nbformat.read(path, as_version=4)
    try:
        run(nb, offline_env)
    except CellExecutionError as exc:  # pragma: no cover - the failure message is the point
        pytest.fail(f"{path.name} failed without network:\n{exc}")
    errors = [
        o
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.get("outputs", [])
        if o.get("output_type") == "error"
    ]
    assert not errors


@pytest.mark.filterwarnings("ignore:A test tried to use socket")
def test_unit_tests_run_with_sockets_disabled(request):
    # `make test` passes --disable-socket: an outbound connection is refused here.
    if not request.config.getoption("disable_socket"):
        pytest.skip("sockets are only disabled under `make test` (pytest-socket)")
    with pytest.raises(Exception) as exc:
        socket.create_connection(("93.184.216.34", 80), timeout=2)
    assert "Socket" in type(exc.value).__name__
