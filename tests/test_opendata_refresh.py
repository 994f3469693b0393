"""``python -m bot opendata refresh`` against a local HTTP server on 127.0.0.1 serving a copy of
the France Services list: a sound file replaces the snapshot, anything else changes nothing."""

from __future__ import annotations

import csv
import gzip
import io
import json
import shutil
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from bot.cli import main
from bot.localities.data import DATA_DIR, load, read_sources

Route = Callable[[BaseHTTPRequestHandler], None]


def original_csv() -> bytes:
    with gzip.open(DATA_DIR / read_sources()["france-services"]["file"], "rb") as f:
        return f.read()


class Server:
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        routes = self.routes

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                route = routes.get(self.path)
                if route is None:
                    self.send_error(404)
                    return
                route(self)

            def log_message(self, *_args: object) -> None:  # quiet test output
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def serve(self, path: str, body: bytes, *, announce: int | None = None) -> str:
        """Serve ``body`` at ``path``; ``announce`` claims another length (a cut download)."""

        def route(handler: BaseHTTPRequestHandler) -> None:
            handler.send_response(200)
            handler.send_header("Content-Type", "text/csv; charset=utf-8")
            handler.send_header("Content-Length", str(announce or len(body)))
            handler.end_headers()
            handler.wfile.write(body)
            handler.close_connection = True

        self.routes[path] = route
        return self.base + path

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server() -> Iterator[Server]:
    s = Server()
    yield s
    s.close()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A copy of the shipped snapshots, which the refresh may replace."""
    return Path(shutil.copytree(DATA_DIR, tmp_path / "opendata"))


def files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def refresh(url: str, folder: Path) -> int:
    return main(["opendata", "refresh", "--url", url, "--dest", str(folder)])


def test_a_sound_list_replaces_the_snapshot(
    server: Server, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = original_csv().decode("utf-8").splitlines(keepends=True)
    # The new list: one point fewer, and one phone number changed.
    newer = "".join(lines[:-1]).replace("04 50 56 87 49", "04 50 00 00 00").encode("utf-8")
    csv_url = server.serve("/liste-fs-20250301.csv", newer)
    dataset = {
        "resources": [
            {"title": "liste-fs-com2024-20250301.csv", "format": "csv", "url": csv_url + "x"},
            {"title": "liste-fs-20240801.csv", "format": "csv", "url": csv_url + "old",
             "last_modified": "2024-08-01T00:00:00"},
            {"title": "liste-fs-20250301.csv", "format": "csv", "url": csv_url,
             "last_modified": "2025-03-01T10:00:00"},
        ]
    }  # fmt: skip
    api = server.serve(
        "/api/1/datasets/liste-des-structures-france-services/", json.dumps(dataset).encode()
    )
    assert refresh(api, data_dir) == 0
    assert "2844 points (avant : 2845)" in capsys.readouterr().out
    entry = read_sources(data_dir)["france-services"]
    assert entry["date"] == "2025-03-01" and entry["rows"] == 2844
    assert entry["copied_from"] == csv_url
    data = load(data_dir)
    assert len(data.points) == 2844 and data.fs_source.date_fr == "01/03/2025"
    assert next(p for p in data.points if p.id == "1").phone == "04 50 00 00 00"


def test_a_semicolon_list_in_windows_encoding_is_read(server: Server, data_dir: Path) -> None:
    rows = list(csv.reader(io.StringIO(original_csv().decode("utf-8"))))
    out = io.StringIO()
    csv.writer(out, delimiter=";").writerows(rows)
    text = out.getvalue()
    url = server.serve("/fs.csv", text.encode("cp1252", errors="replace"))
    assert refresh(url, data_dir) == 0
    assert any(p.commune == "Valserhône" for p in load(data_dir).points)


def _broken(original: bytes) -> dict[str, tuple[bytes, int | None]]:
    text = original.decode("utf-8")
    head, *rows = text.splitlines(keepends=True)
    return {
        "cut mid-row": (original[: len(original) // 2], None),
        "shorter than announced": (original[: len(original) // 2], len(original)),
        "a column missing": (text.replace("latitude", "lat", 1).encode(), None),
        "too few rows": ((head + "".join(rows[:500])).encode(), None),
        "a tenth of the points gone": ((head + "".join(rows[:2500])).encode(), None),
        "not a csv": (b"<html>Maintenance</html>", None),
        "an empty file": (b"", None),
        "broken json": (b"{ resources: ", None),
        "no csv in the dataset": (json.dumps({"resources": []}).encode(), None),
    }


@pytest.mark.parametrize("case", list(_broken(b"a,b\n1,2\n")))
def test_a_broken_download_changes_nothing(
    server: Server, data_dir: Path, case: str, capsys: pytest.CaptureFixture[str]
) -> None:
    body, announce = _broken(original_csv())[case]
    url = server.serve("/fs.csv", body, announce=announce)
    before = files(data_dir)
    assert refresh(url, data_dir) == 1
    assert "Instantané gardé tel quel" in capsys.readouterr().err
    assert files(data_dir) == before


def test_an_unreachable_server_changes_nothing(
    server: Server, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = files(data_dir)
    assert refresh(server.base + "/absent.csv", data_dir) == 1
    assert "téléchargement impossible" in capsys.readouterr().err
    assert files(data_dir) == before
