"""gunicorn settings for `make serve` and servers: `gunicorn tracker.wsgi` reads this file."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# The usual rule for synchronous workers: two per core, plus one that is busy while others wait.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
# Load the application once, before forking, so that a refusal to serve (a missing secret key, no
# allowed hosts) stops the server with its message instead of failing in every worker.
preload_app = True
# Downloads of every study stream for a while; longer than the default 30 s so they are not cut.
timeout = 120
accesslog = "-"
errorlog = "-"
