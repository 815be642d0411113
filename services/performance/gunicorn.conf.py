"""gunicorn settings; every value can be overridden from the environment."""
import os

bind = os.environ.get("BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
# gthread with deadlines for slow clients on the unpublished port (sipk_shared.gunicorn_worker)
worker_class = "sipk_shared.gunicorn_worker.ThreadWorker"
# Live status streams (SSE) hold a thread each for up to STREAM_MAX_LIFETIME_S; they are capped
# per process at STREAM_MAX_PER_PROCESS (8), so 16 threads leave 8 for ordinary requests.
threads = int(os.environ.get("GUNICORN_THREADS", "16"))
# No preload: each worker opens its own MongoClient after fork (pymongo is not fork-safe).
preload_app = False
# gunicorn's control socket defaults to one path per user ($HOME/.gunicorn/gunicorn.ctl): every
# service and every stack on the machine would bind (and unlink) the same socket. Not used: off.
control_socket_disable = True
timeout = 30
graceful_timeout = 20
keepalive = 30
accesslog = None  # the gateway writes the access log, with the request id (never the query string)
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()


def worker_exit(server, worker):
    """Write heartbeats still buffered in this worker before it goes."""
    from performance.heartbeats import flush_all

    flush_all()
