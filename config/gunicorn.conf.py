# gunicorn settings for production and the demo. Override with GUNICORN_CMD_ARGS.
import os

worker_class = "gthread"
threads = int(os.environ.get("WEB_THREADS", "4"))
timeout = 30
graceful_timeout = 20
keepalive = 5
# gunicorn's default (4094 bytes) answers a long search with its own English "URI Too
# Long"; allow its maximum so Django answers an over-long query string itself, with a
# page in the person's language (hromada/core/error_views.py, MAX_QUERY_STRING).
limit_request_line = 8190
max_requests = 20000
max_requests_jitter = 2000
accesslog = os.environ.get("ACCESS_LOG", None)


def child_exit(server, worker):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
