"""List the SQL that one request runs, in process, against the bench database.

    DATABASE_URL=postgres://…/hromada_bench python bench/queries.py sign  --tokens FILE --petition UUID
    DATABASE_URL=…                         python bench/queries.py get PATH

Used by hand while profiling: the count, the statements and their time as the server
sees them. A signature goes through `config.wsgi.application`, as served, so the edge
answers it (`--django`: through Django's handler, the path a refused signature takes).
Signs with the last token of the file, so it does not collide with a scenario."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402


class _Answer:
    def __init__(self, status: str) -> None:
        self.status_code = int(status.split()[0])


def _through_the_edge(path: str, **headers) -> _Answer:
    from django.test import RequestFactory

    from config.wsgi import application

    environ = RequestFactory().post(path, HTTP_HOST="127.0.0.1", **headers).environ
    seen = {}
    b"".join(application(environ, lambda status, _headers, exc_info=None: seen.setdefault("status", status)))
    return _Answer(seen["status"])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("kind", choices=["sign", "get"])
    parser.add_argument("path", nargs="?", default="/")
    parser.add_argument("--tokens", type=Path)
    parser.add_argument("--petition")
    parser.add_argument("--index", type=int, default=-1, help="which token of the file (default: the last)")
    parser.add_argument("--django", action="store_true", help="sign through Django's handler, not the edge")
    args = parser.parse_args()
    client = Client(HTTP_HOST="127.0.0.1")
    # Warm: the first request of a process pays imports and URL resolver set-up.
    client.get("/healthz")
    if args.kind == "sign":
        token = args.tokens.read_text().splitlines()[args.index].split("\t")[2]
        path = f"/api/v1/petitions/{args.petition}/sign"
        headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
        method = client.post if args.django else _through_the_edge
    else:
        path, headers, method = args.path, {}, client.get
        method(path)
    captured = []

    def record(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            captured.append({"ms": round((time.perf_counter() - started) * 1000, 2), "sql": sql[:400]})

    # execute_wrapper, not CaptureQueriesContext: the request_started signal clears
    # connection.queries, which would hide the request's own queries.
    with connection.execute_wrapper(record):
        started, cpu = time.perf_counter(), time.process_time()
        response = method(path, **headers)
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    queries = captured
    print(
        json.dumps(
            {
                "path": path,
                "status": response.status_code,
                "request_ms": round(elapsed * 1000, 1),
                "cpu_ms": round(cpu * 1000, 1),
                "queries": len(queries),
                "sql_ms": round(sum(q["ms"] for q in queries), 1),
                "statements": queries,
            },
            ensure_ascii=False,
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
