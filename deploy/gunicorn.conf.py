"""gunicorn's configuration for `./linli serve` and `./linli demo` (docs/operations.md). Read by gunicorn itself:
plain Python, nothing of Django. Every value can be overridden on gunicorn's command line."""

import os

# Behind nginx on the same host (deploy/nginx/linli.conf). TCP, never a Unix socket: the per-address rate limits
# need the proxy's address as REMOTE_ADDR to find the client's in X-Forwarded-For (LINLI_TRUSTED_PROXIES).
bind = os.environ.get("LINLI_BIND", "127.0.0.1:8000")

# Sync workers: each request runs in one process, as Django's database connections and the SQLite write lock
# expect. Requests wait on the database more than on the CPU, so gunicorn's own rule of thumb, 2 per core + 1, keeps
# the cores busy; each worker holds one database connection (PostgreSQL's max_connections must cover all nodes'
# workers, plus the background worker and the scheduler). LINLI_WEB_WORKERS overrides it: fewer on a small
# machine (about 150 MB each), more behind a connection pooler.
workers = int(os.environ.get("LINLI_WEB_WORKERS") or 2 * (os.cpu_count() or 1) + 1)

# A worker silent this long is killed and replaced. Requests are bounded: long work (imports, exports) runs in the
# background worker, SQLite gives up on its write lock after 10 s (503), so 60 s only catches a stuck worker.
timeout = 60
# On HUP (systemctl reload: new code, new settings) or TERM (stop), a worker finishes the request in hand first.
graceful_timeout = 30
# nginx talks to gunicorn over HTTP/1.0 by default (no reuse); a short keep-alive only frees sockets sooner.
keepalive = 5

# Recycle a worker after about 1,000 requests: what grows over a long life (memory fragmentation after large
# workbooks and documents) is returned. The jitter spreads the restarts so the workers never restart together.
max_requests = 1000
max_requests_jitter = 100

# Not preloaded: each worker imports the application itself, so a HUP reloads the new code with no downtime.
preload_app = False

# Logs to standard output/error: journald keeps them under systemd, the terminal shows them in the demo. The
# access log names the X-Forwarded-For chain beside the peer; Django decides from it which address is the client's.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LINLI_LOG_LEVEL", "info").lower()
access_log_format = '%(h)s "%({x-forwarded-for}i)s" %(t)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'

# The heartbeat file in memory, not on a disk that may stall (gunicorn's advice for containers and VMs).
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

# Stopped and reloaded by signals (systemd); no control socket, whose default path two servers on one account (the
# demo beside a benchmark) would share.
control_socket_disable = True

proc_name = "linli"
