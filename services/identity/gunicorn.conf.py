"""gunicorn settings; every value can be overridden from the environment."""
import os

bind = os.environ.get("BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# No preload: each worker opens its own MongoClient after fork (pymongo is not fork-safe).
preload_app = False
timeout = 30
graceful_timeout = 20
keepalive = 30
accesslog = None  # the gateway writes the access log, with the request id
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
