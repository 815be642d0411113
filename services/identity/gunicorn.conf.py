"""gunicorn settings; every value can be overridden from the environment."""
import os

bind = os.environ.get("BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
# gthread with deadlines for slow clients on the unpublished port (sipk_shared.gunicorn_worker)
worker_class = "sipk_shared.gunicorn_worker.ThreadWorker"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# No preload: each worker opens its own MongoClient after fork (pymongo is not fork-safe).
preload_app = False
# gunicorn's control socket defaults to one path per user ($HOME/.gunicorn/gunicorn.ctl): every
# service and every stack on the machine would bind (and unlink) the same socket. Not used: off.
control_socket_disable = True
timeout = 30
graceful_timeout = 20
keepalive = 30
accesslog = None  # the gateway writes the access log, with the request id
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
