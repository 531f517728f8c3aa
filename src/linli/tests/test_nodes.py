"""Two application nodes behind a reverse proxy, on this machine (docs/operations.md, "Several application nodes").

One PostgreSQL database (the test database), a shared cache (redis-server), uploaded files on object storage (moto's
S3 server), two gunicorn nodes and nginx in front of them with both as upstreams, each on a free loopback port. Staff
log in and read, residents file reports with photos and mistype tracking codes, all through the proxy, while one node
is killed outright. Then: every request got its answer, the staff's session and the search it keeps held on either
node, the per-address limits held across the nodes, and every stored file is in the bucket and opens through
either node. Residents are told apart by their own loopback address (127.0.0.0/8): nginx appends it to
X-Forwarded-For, and the nodes trust nginx (LINLI_TRUSTED_PROXIES).

Skipped without PostgreSQL (the nodes share the test database), nginx, redis-server, gunicorn or moto; CI has them.
"""

import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection
from django.utils.crypto import get_random_string

from linli.cases.models import Attachment, Case, Category
from linli.cases.public import rules as public
from linli.cases.public.forms import Challenge
from linli.cases.public.tests.test_public import INSIDE, SQUARE, image, old_token
from linli.cases.services import ip_hash
from linli.core.pii import lookup_hash
from linli.testing import factories

pytestmark = [pytest.mark.nodes, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SRC = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
SBIN = os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin", "/usr/local/sbin"])
PASSWORD = "nodes-test-2026"
STARTUP = 60  # seconds a server may take to answer, on a busy 2-core machine
REQUEST_TIMEOUT = 30
RESIDENTS = ("127.0.0.11", "127.0.0.12", "127.0.0.13")
GUESSER = "127.0.0.21"
STAFF = "127.0.0.31"
BUCKET = "linli-files"
RESIDENT = "沈节点"
WRONG_CODE = "ZZZZZ22222"  # well formed; the test's cases draw theirs at random
# A resident whose report came back 502 sends the same form again: if the lost attempt had filed it, the token is
# spent and the answer says so (400); either way the report is filed once (docs/operations.md).
RETRIED_BUT_FILED = "这份表单已经提交过"


def _missing() -> str:
    if connection.vendor != "postgresql":
        return "the nodes share one database: the PostgreSQL run only (SQLite's test database lives in memory)"
    for program in ("nginx", "redis-server"):
        if not shutil.which(program, path=SBIN):
            return f"needs {program} (apt-get install nginx-light redis-server)"
    if not (BIN / "gunicorn").exists():
        return "needs gunicorn in the virtualenv (requirements.lock)"
    try:
        import boto3  # noqa: F401
        import moto.server  # noqa: F401
        import redis  # noqa: F401
    except ImportError as exc:
        return f"needs {exc.name} (requirements.lock)"
    return ""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ---------------------------------------------------------------- the servers


class Servers:
    """Processes started in sessions of their own, each killed with everything it started when the test ends."""

    def __init__(self, logs: Path):
        self.logs = logs
        self.running: dict[str, subprocess.Popen] = {}

    def start(self, name: str, argv: list[str], **kwargs) -> subprocess.Popen:
        log = open(self.logs / f"{name}.log", "ab")  # noqa: SIM115 - closed with the process, in kill()
        process = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, start_new_session=True, **kwargs)
        process.log = log
        self.running[name] = process
        return process

    def kill(self, name: str) -> None:
        """SIGKILL to the whole process group: a machine that dies, not a server that shuts down."""
        process = self.running.pop(name)
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait(timeout=10)
        process.log.close()

    def kill_all(self) -> None:
        for name in list(self.running):
            self.kill(name)

    def log_tail(self, name: str) -> str:
        return (self.logs / f"{name}.log").read_text(errors="replace")[-3000:]

    def wait_http(self, name: str, port: int, path: str, ready=lambda status: status < 500) -> None:
        deadline = time.monotonic() + STARTUP
        while time.monotonic() < deadline:
            process = self.running[name]
            if process.poll() is not None:
                pytest.fail(f"{name} exited with {process.returncode}:\n{self.log_tail(name)}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                conn.request("GET", path)
                if ready(conn.getresponse().status):
                    return
            except OSError:
                pass
            time.sleep(0.2)
        pytest.fail(f"{name} did not answer on port {port} within {STARTUP} s:\n{self.log_tail(name)}")


NGINX = """
daemon off;
master_process on;
worker_processes 1;
{user}
pid {dir}/nginx.pid;
error_log {dir}/nginx-error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log {dir}/nginx-access.log;
    client_body_temp_path {dir}/nginx-body;
    proxy_temp_path {dir}/nginx-proxy;
    fastcgi_temp_path {dir}/nginx-fastcgi;
    uwsgi_temp_path {dir}/nginx-uwsgi;
    scgi_temp_path {dir}/nginx-scgi;
    client_max_body_size 60m;
    upstream linli {{
        server 127.0.0.1:{a} max_fails=1 fail_timeout=60s;
        server 127.0.0.1:{b} max_fails=1 fail_timeout=60s;
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://linli;
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            # A node that refuses or drops the connection: the request goes to the other one (nginx's default, as
            # docs/operations.md shows it). nginx resends a POST only if the dead node never received it; otherwise
            # the client gets 502 and sends it again.
            proxy_next_upstream error timeout;
            proxy_next_upstream_tries 2;
            proxy_connect_timeout 2s;
            proxy_read_timeout 30s;
            add_header X-Upstream $upstream_addr always;
        }}
    }}
}}
"""


def database_url() -> str:
    s = connection.settings_dict
    auth = quote(s["USER"], safe="") + (":" + quote(s["PASSWORD"], safe="") if s["PASSWORD"] else "")
    return f"postgres://{auth}@{quote(s['HOST'] or 'localhost', safe='')}:{s['PORT'] or 5432}/{s['NAME']}"


@dataclass
class Cluster:
    servers: Servers
    proxy: int
    nodes: dict[str, int]
    env: dict[str, str]
    s3: object
    redis: object

    def start_node(self, name: str) -> None:
        argv = [str(BIN / "gunicorn"), "linli.wsgi:application", "--bind", f"127.0.0.1:{self.nodes[name]}"]
        argv += ["--workers", "2", "--preload", "--timeout", str(REQUEST_TIMEOUT), "--graceful-timeout", "2"]
        # Its own directory as the working one: no gunicorn.conf.py of the checkout is read.
        workdir = self.servers.logs / name
        workdir.mkdir(exist_ok=True)
        self.servers.start(name, argv, env=self.env, cwd=workdir)

    def wait_node(self, name: str) -> None:
        self.servers.wait_http(name, self.nodes[name], "/api/v1/auth/me", ready=lambda status: status == 401)


@pytest.fixture
def cluster(tmp_path):
    import boto3
    import redis

    missing = _missing()
    if missing:
        pytest.skip(missing)
    servers = Servers(tmp_path)
    with ExitStack() as stack:
        stack.callback(servers.kill_all)
        s3_port, redis_port, proxy = free_port(), free_port(), free_port()
        nodes = {"node-a": free_port(), "node-b": free_port()}
        servers.start("s3", [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(s3_port)])
        redis_server = shutil.which("redis-server", path=SBIN)
        servers.start(
            "redis",
            [redis_server, "--bind", "127.0.0.1", "--port", str(redis_port), "--save", "", "--appendonly", "no"],
            cwd=tmp_path,
        )
        env = {
            **os.environ,
            "PYTHONPATH": str(SRC),
            "DJANGO_SETTINGS_MODULE": "linli.testing.nodesettings",
            "DATABASE_URL": database_url(),
            "LINLI_DEBUG": "false",
            "LINLI_ALLOWED_HOSTS": "127.0.0.1",
            "LINLI_TRUSTED_PROXIES": "127.0.0.1",
            "LINLI_REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
            "LINLI_S3_BUCKET": BUCKET,
            "LINLI_S3_ENDPOINT_URL": f"http://127.0.0.1:{s3_port}",
            "LINLI_S3_ACCESS_KEY": "test",
            "LINLI_S3_SECRET_KEY": "test",
            "LINLI_S3_REGION": "us-east-1",
        }
        c = Cluster(servers, proxy, nodes, env, None, redis.Redis(port=redis_port, socket_timeout=5))
        for name in nodes:
            c.start_node(name)
        servers.wait_http("s3", s3_port, "/")
        c.s3 = boto3.client(
            "s3",
            endpoint_url=env["LINLI_S3_ENDPOINT_URL"],
            aws_access_key_id="test",
            aws_secret_access_key="test",
            region_name="us-east-1",
        )
        c.s3.create_bucket(Bucket=BUCKET)
        conf = tmp_path / "nginx.conf"
        user = "user root;" if os.geteuid() == 0 else ""  # its workers write their buffers into tmp_path
        conf.write_text(NGINX.format(user=user, dir=tmp_path, a=nodes["node-a"], b=nodes["node-b"], port=proxy))
        nginx = shutil.which("nginx", path=SBIN)
        servers.start("nginx", [nginx, "-e", str(tmp_path / "nginx-error.log"), "-c", str(conf), "-p", str(tmp_path)])
        for name in nodes:
            c.wait_node(name)
        servers.wait_http("nginx", proxy, "/api/v1/auth/me", ready=lambda status: status == 401)
        assert c.redis.ping()
        yield c


# ---------------------------------------------------------------- the clients


@dataclass
class Answer:
    status: int
    content: bytes
    headers: dict
    upstream: str
    attempts: int

    @property
    def body(self) -> str:
        return self.content.decode(errors="replace")


@dataclass
class Client:
    """A user at one loopback address, with its cookies. Every request is retried on a gateway error or a broken
    connection until it is answered (at most four times); `attempts` says how many it took."""

    port: int
    address: str
    cookies: dict = field(default_factory=dict)

    def request(self, method: str, path: str, body: bytes = b"", headers: dict | None = None) -> Answer:
        headers = {**(headers or {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in range(1, 5):
            conn = http.client.HTTPConnection(
                "127.0.0.1", self.port, timeout=REQUEST_TIMEOUT, source_address=(self.address, 0)
            )
            try:
                conn.request(method, path, body=body or None, headers=headers)
                response = conn.getresponse()
                data = response.read()
            except (OSError, http.client.HTTPException):
                time.sleep(0.2)
                continue
            finally:
                conn.close()
            if response.status in (502, 503, 504):
                time.sleep(0.2)
                continue
            for value in response.headers.get_all("Set-Cookie") or ():
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
            return Answer(
                response.status,
                data,
                dict(response.headers),
                response.headers.get("X-Upstream", ""),
                attempt,
            )
        return Answer(0, b"", {}, "", attempt)  # never answered

    def form(self, path: str, fields: dict) -> Answer:
        csrf = self.cookies.setdefault("csrftoken", get_random_string(32))
        body = urlencode({**fields, "csrfmiddlewaretoken": csrf}).encode()
        return self.request("POST", path, body, {"Content-Type": "application/x-www-form-urlencoded"})

    def multipart(self, path: str, fields: dict, files: list[tuple[str, str, bytes, str]]) -> Answer:
        from urllib3 import encode_multipart_formdata

        csrf = self.cookies.setdefault("csrftoken", get_random_string(32))
        parts = [*{**fields, "csrfmiddlewaretoken": csrf}.items()]
        parts += [(name, (filename, data, kind)) for name, filename, data, kind in files]
        body, content_type = encode_multipart_formdata(parts)
        return self.request("POST", path, body, {"Content-Type": content_type})


# ---------------------------------------------------------------- the test


@pytest.fixture
def district(world):
    w = world
    factories.install_case_catalogue(w)
    w.grid_a1.boundary = SQUARE
    w.grid_a1.save()
    w.category = Category.objects.get(code="0401")
    staff = w.users["district_staff"]
    # The nodes hash passwords as production does, not with the suite's fast hasher.
    hasher = PBKDF2PasswordHasher()
    staff.password = hasher.encode(PASSWORD, hasher.salt())
    staff.save(update_fields=["password"])
    w.resident = factories.person(w.grid_a1, name=RESIDENT)
    return w


def test_two_nodes_lose_no_request_bypass_no_limit_and_miss_no_file(cluster, district):
    reports_each = public.REPORTS_PER_IP_HOUR + 2
    guesses = public.TRACKING_FAILURES_PER_HOUR + 2
    reads = 12  # rounds of a page, an API call and the search's results
    photo = image().getvalue()
    # Drawn beforehand: a token as if the form had been on screen for half a minute (it signs with the nodes' key).
    forms = {
        (r, i): {
            "category_id": str(district.category.pk),
            "description": "小区东门路灯坏了一周，晚上很黑",
            "reporter_phone": f"139{RESIDENTS.index(r)}{i:07d}",
            "token": old_token(Challenge(3, 4)),
            "answer": "7",
            "website": "",
            **INSIDE,
        }
        for r in RESIDENTS
        for i in range(reports_each)
    }

    staff = Client(cluster.proxy, STAFF)
    login = staff.form("/login/", {"username": "district_staff", "password": PASSWORD})
    assert login.status == 302 and "sessionid" in staff.cookies, login.body[-500:]
    # A search by ID number: the number waits in the session (core.searches), the results are a GET of its id.
    search = staff.form("/persons/", {"id_number": district.resident.id_number})
    assert search.status == 302 and "search=" in search.headers["Location"], search.body[-500:]

    # What each client sends; the node is killed once half of all requests have been answered.
    log: list[tuple[str, str, Answer]] = []
    replies: dict[tuple[str, int], Answer] = {}
    total = len(forms) + guesses + 3 * reads
    half = threading.Event()
    lock = threading.Lock()

    def record(kind: str, who: str, answer: Answer) -> None:
        with lock:
            log.append((kind, who, answer))
            if len(log) >= total // 2:
                half.set()

    def resident(address: str) -> None:
        client = Client(cluster.proxy, address)
        for i in range(reports_each):
            files = [("photos", "photo.jpg", photo, "image/jpeg")]
            replies[address, i] = client.multipart("/report/", forms[address, i], files)
            record("report", address, replies[address, i])

    def guesser() -> None:
        client = Client(cluster.proxy, GUESSER)
        for _ in range(guesses):
            record("guess", GUESSER, client.request("GET", f"/report/track/{WRONG_CODE}/"))

    def reader() -> None:
        for _ in range(reads):
            record("page", STAFF, staff.request("GET", "/cases/"))
            record("api", STAFF, staff.request("GET", "/api/v1/auth/me"))
            record("search", STAFF, staff.request("GET", search.headers["Location"]))

    def killer() -> None:
        half.wait(timeout=REQUEST_TIMEOUT * 2)
        cluster.servers.kill("node-a")
        # The machine comes back, with nothing of its own: nginx leaves it alone for the rest of the run
        # (fail_timeout), and the files are read through it at the end.
        cluster.start_node("node-a")

    threads = [threading.Thread(target=resident, args=(r,)) for r in RESIDENTS]
    threads += [threading.Thread(target=guesser), threading.Thread(target=reader), threading.Thread(target=killer)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=180)
    assert not any(t.is_alive() for t in threads)
    assert len(log) == total

    # No request lost: every one got the application's answer; only a POST ever needed the client to send it again
    # (a GET that the dead node dropped, nginx itself resends to the other).
    unanswered = [(kind, who) for kind, who, a in log if a.status == 0]
    assert not unanswered
    assert all(a.attempts == 1 for kind, _, a in log if kind != "report")
    a, b = (f"127.0.0.1:{cluster.nodes[n]}" for n in ("node-a", "node-b"))
    served = Counter(a.upstream.split(", ")[-1] for _, _, a in log)
    assert served[a] and served[b], served  # both nodes answered before one was killed

    # Staff stayed logged in whichever node answered, and their search found its number there: the session is in the
    # shared cache and the database.
    assert {a.status for kind, _, a in log if kind in ("page", "api", "search")} == {200}
    assert all(RESIDENT in a.body for kind, _, a in log if kind == "search")
    assert cluster.redis.keys("linli:*django.contrib.sessions.cached_db*")

    # No limit bypassed: each resident filed exactly the hourly cap over both nodes, the rest were refused, and the
    # guesser's wrong codes were counted over both nodes. No report lost: every form answered 302 is filed; a form
    # sent again after a 502 was filed by its lost attempt (the answer then says already sent, or over the cap) or
    # by the retry.
    for address in RESIDENTS:
        online = Case.objects.filter(channel=Case.Channel.ONLINE, reporter_ip_hash=ip_hash(address))
        assert online.count() == public.REPORTS_PER_IP_HOUR
        filed = set(online.values_list("reporter_phone_hash", flat=True))
        for i in range(reports_each):
            reply, phone = replies[address, i], lookup_hash(forms[address, i]["reporter_phone"])
            if reply.status == 302:
                assert phone in filed
            elif reply.attempts == 1:
                assert reply.status == 429 and phone not in filed, reply.body[-500:]
            else:
                assert reply.status == 429 or RETRIED_BUT_FILED in reply.body, reply.body[-500:]
    # A wrong code that reached the killed node may have been counted there before nginx resent it to the other
    # (its upstream then names both): counted twice, it brings the refusal one guess early, never late.
    guessed = [a for kind, _, a in log if kind == "guess"]
    resent = sum(", " in a.upstream for a in guessed)
    statuses = [a.status for a in guessed]
    allowed = statuses.count(404)
    assert statuses == [404] * allowed + [429] * (guesses - allowed)
    assert public.TRACKING_FAILURES_PER_HOUR - resent <= allowed <= public.TRACKING_FAILURES_PER_HOUR

    # No file missing: each report's photo is in the bucket, and opens through either node, the killed one
    # started again with nothing of its own.
    cluster.wait_node("node-a")
    photos = list(Attachment.objects.select_related("case"))
    assert len(photos) == len(RESIDENTS) * public.REPORTS_PER_IP_HOUR

    def through(node: str, photo: Attachment) -> tuple[int, bytes]:
        answer = Client(cluster.nodes[node], STAFF, dict(staff.cookies)).request(
            "GET", f"/cases/{photo.case_id}/attachments/{photo.pk}/"
        )
        return answer.status, answer.content

    with ThreadPoolExecutor(4) as pool:
        opened = {(n, p.pk): pool.submit(through, n, p) for n in cluster.nodes for p in photos}
        for p in photos:
            stored = cluster.s3.get_object(Bucket=BUCKET, Key=p.file.name)["Body"].read()
            assert len(stored) == p.size
            for node in cluster.nodes:
                assert opened[node, p.pk].result(timeout=REQUEST_TIMEOUT) == (200, stored), node
