"""The "hello" ceiling: the smallest WSGI app, served by the same gunicorn
command line and config as Hromada, so the gap between its rate and the
signature rate is what Django + the product + PostgreSQL cost."""

BODY = b'{"hello": "world"}'
HEADERS = [("Content-Type", "application/json"), ("Content-Length", str(len(BODY)))]


def application(environ, start_response):
    if environ.get("REQUEST_METHOD") == "POST":
        length = int(environ.get("CONTENT_LENGTH") or 0)
        if length:
            environ["wsgi.input"].read(length)
        start_response("201 Created", HEADERS)
    else:
        start_response("200 OK", HEADERS)
    return [BODY]
