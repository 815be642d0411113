"""Checks of the container platform: compose.yaml, the gateway's nginx config
and the Dockerfiles. Static checks plus `docker-compose config` and a real
nginx started on loopback against stub upstreams (no Docker engine)."""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import socket
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml

SERVICES = ("identity", "presence", "performance")
API_AND_WORKERS = SERVICES + tuple(f"{s}-worker" for s in SERVICES)
GATEWAY_VARS = (
    "GATEWAY_LISTEN",
    "IDENTITY_UPSTREAM",
    "PRESENCE_UPSTREAM",
    "PERFORMANCE_UPSTREAM",
    "WEB_ROOT",
    "MAP_TILE_URL",
)
REQUIRED_ENV = ("RABBITMQ_PASSWORD", "BOOTSTRAP_ADMIN_NIP", "BOOTSTRAP_ADMIN_PASSWORD")
SECRET_KEY_RE = re.compile(r"PASS(WORD)?$|SECRET|TOKEN|PRIVATE_KEY|API_KEY|CREDENTIAL", re.I)
REQUIRED_REF_RE = re.compile(r"^\$\{[A-Z][A-Z0-9_]*:\?[^}]*\}$")
URL_USERINFO_RE = re.compile(r"://[^:/@\s]*:(?P<password>[^/@\s]*)@")
REF_RE = re.compile(r"\$\{[^}]*\}")


# --------------------------------------------------------------------------
# compose.yaml
# --------------------------------------------------------------------------


def _env(service: dict) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) if "=" in item else (item, None) for item in env)
    return {k: ("" if v is None else str(v)) for k, v in env.items()}


def test_compose_has_expected_services(compose):
    expected = {"mongo", "rabbitmq", "gateway", *API_AND_WORKERS}
    assert expected <= set(compose["services"])


def test_compose_stays_compatible_with_v1_and_v2(compose):
    # docker-compose 1.29 rejects a top-level `name:`; v2 warns on `version:`.
    assert "name" not in compose
    assert "version" not in compose


def test_infra_images(compose):
    services = compose["services"]
    assert str(services["mongo"]["image"]).startswith("mongo:7")
    assert str(services["rabbitmq"]["image"]).startswith("rabbitmq:3-management")
    assert "mongosh" in services["mongo"]["healthcheck"]["test"]
    assert "rabbitmq-diagnostics" in services["rabbitmq"]["healthcheck"]["test"]
    assert any("/data/db" in v for v in services["mongo"]["volumes"])
    assert any("/var/lib/rabbitmq" in v for v in services["rabbitmq"]["volumes"])


@pytest.mark.parametrize("svc", SERVICES)
def test_api_service_is_scalable_and_healthchecked(compose, svc):
    service = compose["services"][svc]
    assert service["build"]["context"] == "."
    assert service["build"]["dockerfile"] == f"services/{svc}/Dockerfile"
    # A fixed name or host port would break `docker compose up --scale`.
    assert "container_name" not in service
    assert "ports" not in service
    test = service["healthcheck"]["test"]
    assert f"/api/{svc}/healthz" in " ".join(test)
    assert not service["healthcheck"].get("disable", False)


@pytest.mark.parametrize("svc", SERVICES)
def test_worker_runs_from_the_service_image(compose, svc):
    worker = compose["services"][f"{svc}-worker"]
    assert worker["build"] == compose["services"][svc]["build"]
    assert worker["command"] == ["python", "-m", f"{svc}.worker"]
    assert "container_name" not in worker
    assert "ports" not in worker
    assert _env(worker)["MONGO_DB"] == svc


def test_every_depends_on_waits_for_health(compose):
    for name, service in compose["services"].items():
        deps = service.get("depends_on")
        if deps is None:
            continue
        assert isinstance(deps, dict), f"{name}: depends_on must use conditions"
        for dep, spec in deps.items():
            assert spec == {"condition": "service_healthy"}, f"{name} -> {dep}"


def test_dependency_graph(compose):
    services = compose["services"]
    for name in API_AND_WORKERS:
        assert {"mongo", "rabbitmq"} <= set(services[name]["depends_on"]), name
    for name in ("presence", "performance"):
        assert "identity" in services[name]["depends_on"]
    assert set(services["gateway"]["depends_on"]) == set(SERVICES)


def test_gateway_service(compose):
    gateway = compose["services"]["gateway"]
    # The root is the context: the image's first stage builds the web app from web/.
    assert gateway["build"] in ({"context": ".", "dockerfile": "gateway/Dockerfile"},
                                {"context": "./", "dockerfile": "gateway/Dockerfile"})
    assert [p for p in gateway["ports"] if str(p).endswith(":8080")]


@pytest.mark.parametrize("svc", SERVICES)
def test_service_environment(compose, svc):
    env = _env(compose["services"][svc])
    assert env["MONGO_URI"] == "mongodb://mongo:27017"
    assert env["MONGO_DB"] == svc
    assert env["SERVICE_NAME"] == svc
    assert env["AMQP_URL"].startswith("amqp://") and "@rabbitmq:5672/" in env["AMQP_URL"]
    assert env["JWT_ISSUER"] == "sipk-identity"
    assert env["JWT_AUDIENCE"] == "sipk"
    assert "LOG_LEVEL" in env
    if svc != "identity":
        assert env["JWKS_URL"] == "http://identity:8000/api/identity/v1/auth/jwks"


def test_identity_signing_key_is_a_compose_secret(compose):
    identity = compose["services"]["identity"]
    env = _env(identity)
    assert env["JWT_PRIVATE_KEY_FILE"] == "/run/secrets/jwt_private_key"
    assert "jwt_private_key" in [s if isinstance(s, str) else s["source"] for s in identity["secrets"]]
    assert "${JWT_PRIVATE_KEY_PATH" in compose["secrets"]["jwt_private_key"]["file"]
    for key in ("BOOTSTRAP_ADMIN_NIP", "BOOTSTRAP_ADMIN_PASSWORD"):
        assert REQUIRED_REF_RE.match(env[key]), key


def test_no_literal_secrets(compose):
    checked = 0
    for name, service in compose["services"].items():
        for key, value in _env(service).items():
            if key.endswith("_FILE"):
                assert value.startswith("/run/secrets/"), f"{name}.{key}"
                continue
            if SECRET_KEY_RE.search(key):
                assert REQUIRED_REF_RE.match(value), f"{name}.{key} must be ${{VAR:?...}}"
                checked += 1
            # Mask ${...} first: their own ":-" / ":?" would confuse the URL parse.
            refs = REF_RE.findall(value)
            masked = REF_RE.sub(lambda m: f"REF{refs.index(m.group(0))}", value)
            match = URL_USERINFO_RE.search(masked)
            if match:
                password = match["password"]
                assert re.fullmatch(r"REF\d+", password), f"{name}.{key}: literal password in URL"
                assert REQUIRED_REF_RE.match(refs[int(password[3:])]), f"{name}.{key}"
                checked += 1
    assert checked >= 4  # rabbitmq pass, admin password, the AMQP URLs


def _compose_env(tmp_path: Path, **overrides: str) -> tuple[dict[str, str], Path]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("COMPOSE_", "DOCKER_"))}
    for key in (*REQUIRED_ENV, "RABBITMQ_USER", "JWT_PRIVATE_KEY_PATH", "GATEWAY_PORT", "LOG_LEVEL"):
        env.pop(key, None)
    env.update(overrides)
    # An empty env file, so a developer's untracked .env cannot change the result.
    env_file = tmp_path / "empty.env"
    env_file.write_text("")
    return env, env_file


def _run_compose_config(compose_bin, repo_root, env, env_file, *extra):
    return subprocess.run(
        [compose_bin, "--env-file", str(env_file), "-f", "compose.yaml", "config", *extra],
        cwd=repo_root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_docker_compose_config_validates(compose_bin, repo_root, tmp_path):
    """docker-compose validates against the compose-spec JSON schema it ships."""
    key = tmp_path / "jwt.pem"
    key.write_text("not a real key; compose only needs the path\n")
    env, env_file = _compose_env(
        tmp_path,
        RABBITMQ_PASSWORD="dummy-rabbit",
        BOOTSTRAP_ADMIN_NIP="198001012005011001",
        BOOTSTRAP_ADMIN_PASSWORD="dummy-admin-pass",
        JWT_PRIVATE_KEY_PATH=str(key),
    )
    quiet = _run_compose_config(compose_bin, repo_root, env, env_file, "-q")
    assert quiet.returncode == 0, quiet.stderr

    full = _run_compose_config(compose_bin, repo_root, env, env_file)
    assert full.returncode == 0, full.stderr
    resolved = yaml.safe_load(full.stdout)
    assert _env(resolved["services"]["presence"])["AMQP_URL"] == (
        "amqp://sipk:dummy-rabbit@rabbitmq:5672/%2F"
    )
    assert resolved["secrets"]["jwt_private_key"]["file"] == str(key)


@pytest.mark.parametrize("missing", REQUIRED_ENV)
def test_docker_compose_refuses_missing_secrets(compose_bin, repo_root, tmp_path, missing):
    values = {
        "RABBITMQ_PASSWORD": "x",
        "BOOTSTRAP_ADMIN_NIP": "198001012005011001",
        "BOOTSTRAP_ADMIN_PASSWORD": "y",
    }
    del values[missing]
    env, env_file = _compose_env(tmp_path, **values)
    result = _run_compose_config(compose_bin, repo_root, env, env_file, "-q")
    assert result.returncode != 0
    assert missing in result.stderr


# --------------------------------------------------------------------------
# gateway (nginx)
# --------------------------------------------------------------------------


def _template(repo_root: Path) -> str:
    return (repo_root / "gateway" / "nginx" / "sipk.conf.template").read_text(encoding="utf-8")


def render_gateway(repo_root: Path, values: dict[str, str]) -> str:
    """Substitute like `envsubst '$A $B ...'`: only the six names, in `$NAME`
    and `${NAME}` form; every other `$...` is left for nginx."""
    assert set(values) == set(GATEWAY_VARS)
    names = "|".join(GATEWAY_VARS)
    pattern = re.compile(r"\$(?:\{(" + names + r")\}|(" + names + r")(?![A-Za-z0-9_]))")
    return pattern.sub(lambda m: values[m.group(1) or m.group(2)], _template(repo_root))


def _test_values(repo_root: Path, listen: str, identity="127.0.0.1:1", presence="127.0.0.1:1",
                 performance="127.0.0.1:1") -> dict[str, str]:
    return {
        "GATEWAY_LISTEN": listen,
        "IDENTITY_UPSTREAM": identity,
        "PRESENCE_UPSTREAM": presence,
        "PERFORMANCE_UPSTREAM": performance,
        "WEB_ROOT": str(repo_root / "tests" / "unit" / "platform" / "webroot"),
        "MAP_TILE_URL": "",
    }


def test_template_uses_only_the_six_variables(repo_root):
    text = _template(repo_root)
    assert set(re.findall(r"\$\{([^}]*)\}", text)) == set(GATEWAY_VARS)


def test_rendered_gateway_config(repo_root):
    out = render_gateway(repo_root, _test_values(repo_root, "8080", "identity:8000",
                                                 "presence:8000", "performance:8000"))
    assert "${" not in out
    for svc in SERVICES:
        assert re.search(rf"upstream {svc}\s*{{\s*server {svc}:8000;", out)
        assert f"location /api/{svc}/" in out
        assert f"proxy_pass http://{svc};" in out
    login = re.search(r"location = /api/identity/v1/auth/login \{(.*?)\}", out, re.S)
    assert login and "limit_req zone=login" in login.group(1)
    assert "limit_req_zone $binary_remote_addr zone=login" in out
    stream = re.search(r"location = /api/performance/v1/team/status/stream \{(.*?)\}", out, re.S)
    assert stream and "proxy_buffering off;" in stream.group(1)
    assert "proxy_intercept_errors off;" in out
    assert "server_tokens off;" in out
    assert "escape=json" in out


def _write_main_conf(tmp: Path, rendered: str) -> Path:
    """A minimal nginx.conf including the rendered fragment, with every path
    nginx writes under `tmp`, so it runs without touching /var or /run."""
    (tmp / "conf.d").mkdir(exist_ok=True)
    (tmp / "temp").mkdir(exist_ok=True)
    (tmp / "conf.d" / "sipk.conf").write_text(rendered, encoding="utf-8")
    # As root the workers would drop to `nobody`, which cannot read pytest's
    # 0700 tmp dirs; this throwaway instance keeps them as root.
    user = "user root;\n" if os.geteuid() == 0 else ""
    conf = tmp / "nginx.conf"
    conf.write_text(
        f"""{user}daemon off;
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 128; }}
http {{
    types {{ text/html html; text/css css; application/javascript js; }}
    default_type application/octet-stream;
    client_body_temp_path {tmp}/temp/body;
    proxy_temp_path {tmp}/temp/proxy;
    fastcgi_temp_path {tmp}/temp/fastcgi;
    uwsgi_temp_path {tmp}/temp/uwsgi;
    scgi_temp_path {tmp}/temp/scgi;
    include {tmp}/conf.d/*.conf;
}}
""",
        encoding="utf-8",
    )
    return conf


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_nginx_accepts_rendered_config(nginx_bin, repo_root, tmp_path):
    conf = _write_main_conf(tmp_path, render_gateway(repo_root, _test_values(repo_root, "127.0.0.1:8080")))
    result = subprocess.run(
        [nginx_bin, "-t", "-p", str(tmp_path), "-e", str(tmp_path / "error.log"), "-c", str(conf)],
        capture_output=True, text=True, timeout=30,
    )
    assert result.returncode == 0, result.stderr


class _StubUpstream(BaseHTTPRequestHandler):
    """Stands in for presence and performance: answers its own JSON errors,
    echoes what the gateway forwarded and streams a two-part SSE response."""

    protocol_version = "HTTP/1.1"
    sse_release = threading.Event()

    def log_message(self, *args):  # keep test output clean
        pass

    def _json(self, status: int, body: dict) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("X-Request-ID", "from-upstream")
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        if self.path == "/api/presence/readyz":
            self._json(503, {"code": 503, "status": "Service Unavailable",
                             "message": "database unreachable", "error": "not_ready"})
        elif self.path.startswith("/api/performance/v1/team/status/stream"):
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-cache")
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(b"data: first\n\n")
            self.wfile.flush()
            # The second event only comes once the client has seen the first:
            # a buffering gateway would hold the first back and the client times out.
            self.sse_release.wait(10)
            self.wfile.write(b"data: second\n\n")
            self.wfile.flush()
            self.close_connection = True
        else:
            self._json(200, {"path": self.path,
                             "request_id": self.headers.get("X-Request-ID"),
                             "forwarded_for": self.headers.get("X-Forwarded-For")})

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        received = len(self.rfile.read(length)) if length else 0
        self._json(201, {"path": self.path, "received": received})


@pytest.fixture
def gateway(nginx_bin, repo_root, tmp_path):
    stub = ThreadingHTTPServer(("127.0.0.1", 0), _StubUpstream)
    stub.daemon_threads = True
    _StubUpstream.sse_release.clear()
    threading.Thread(target=stub.serve_forever, daemon=True).start()
    stub_addr = f"127.0.0.1:{stub.server_address[1]}"

    port = _free_port()
    values = _test_values(repo_root, f"127.0.0.1:{port}", identity="127.0.0.1:1",
                          presence=stub_addr, performance=stub_addr)
    conf = _write_main_conf(tmp_path, render_gateway(repo_root, values))
    proc = subprocess.Popen(
        [nginx_bin, "-p", str(tmp_path), "-e", str(tmp_path / "error.log"), "-c", str(conf)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"nginx did not start: {proc.stderr.read().decode() if proc.stderr else ''}")
                time.sleep(0.05)
        yield port
    finally:
        _StubUpstream.sse_release.set()
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)
        stub.shutdown()
        stub.server_close()


def _request(port, method, path, headers=None, body=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        resp = conn.getresponse()
        return resp.status, resp.headers, resp.read()
    finally:
        conn.close()


def _assert_gateway_error(status, headers, body, code, error):
    assert status == code
    assert headers["Content-Type"].startswith("application/json")
    payload = json.loads(body)
    assert payload["code"] == code and payload["error"] == error
    assert payload["status"] and payload["message"]
    assert payload["request_id"] == headers["X-Request-ID"]


def test_gateway_unreachable_service_gives_json_502(gateway):
    status, headers, body = _request(gateway, "GET", "/api/identity/healthz")
    _assert_gateway_error(status, headers, body, 502, "bad_gateway")
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert "Referrer-Policy" in headers
    assert "nginx/" not in headers.get("Server", "")


def test_gateway_passes_service_errors_through(gateway):
    status, headers, body = _request(gateway, "GET", "/api/presence/readyz")
    assert status == 503
    assert json.loads(body)["error"] == "not_ready"


def test_gateway_request_id(gateway):
    status, headers, body = _request(gateway, "GET", "/api/presence/v1/me/today",
                                     headers={"X-Request-ID": "req-abc.123"})
    assert status == 200
    assert json.loads(body)["request_id"] == "req-abc.123"
    assert headers.get_all("X-Request-ID") == ["req-abc.123"]
    assert json.loads(body)["forwarded_for"] == "127.0.0.1"

    # A missing or unsafe id is replaced by the gateway's own.
    for sent in ({}, {"X-Request-ID": 'bad"id'}):
        status, headers, body = _request(gateway, "GET", "/api/presence/v1/me/today", headers=sent)
        generated = json.loads(body)["request_id"]
        assert re.fullmatch(r"[0-9a-f]{32}", generated)
        assert headers["X-Request-ID"] == generated


def test_gateway_unknown_api_is_json_404(gateway):
    status, headers, body = _request(gateway, "GET", "/api/payroll/v1/x")
    _assert_gateway_error(status, headers, body, 404, "not_found")


def test_gateway_serves_web_app(gateway):
    csp = None
    for path in ("/", "/tim", "/tugas/abc"):  # the app's own routes fall back to index.html
        status, headers, body = _request(gateway, "GET", path)
        assert status == 200
        assert headers["Content-Type"].startswith("text/html")
        assert b"Si Pelawan &amp; Si Ketawai" in body
        assert headers["Cache-Control"] == "no-cache"
        csp = headers["Content-Security-Policy"]
        assert headers["X-Frame-Options"] == "DENY" and headers["X-Content-Type-Options"] == "nosniff"
        assert headers["X-Request-ID"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["default-src"] == "'none'" and directives["script-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'" and directives["connect-src"] == "'self'"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp and "http" not in csp
    status, headers, _ = _request(gateway, "GET", "/assets/index-Ab12Cd34.js")
    assert status == 200 and headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert headers["Content-Type"].startswith("application/javascript")
    assert _request(gateway, "GET", "/assets/index-gone.js")[0] == 404  # never index.html as a script
    status, headers, _ = _request(gateway, "GET", "/sw.js")
    assert status == 200 and headers["Cache-Control"] == "no-cache"
    status, headers, _ = _request(gateway, "GET", "/manifest.webmanifest")
    assert status == 200 and headers["Content-Type"].startswith("application/manifest+json")
    # The API keeps its own headers: no web CSP on /api/ (Swagger UI pages have their own needs).
    assert "Content-Security-Policy" not in _request(gateway, "GET", "/api/payroll/v1/x")[1]


def test_gateway_body_limits(gateway):
    two_mb = b"0" * (2 * 1024 * 1024)
    status, headers, body = _request(gateway, "POST", "/api/presence/v1/check-ins", body=two_mb,
                                     headers={"Content-Type": "application/json"})
    _assert_gateway_error(status, headers, body, 413, "payload_too_large")

    status, _, body = _request(gateway, "POST", "/api/performance/v1/tasks/t1/submissions",
                               body=two_mb, headers={"Content-Type": "application/octet-stream"})
    assert status == 201
    assert json.loads(body)["received"] == len(two_mb)


def test_gateway_throttles_login(gateway):
    # burst 200 nodelay at 5r/s: an office of 200 behind one NAT address gets in at once, then the
    # bucket refills at 5/s. Send until the gateway says no (refill only adds to what passes).
    passed = 0
    for _ in range(1000):
        status, headers, body = _request(gateway, "POST", "/api/identity/v1/auth/login",
                                         body=b"{}", headers={"Content-Type": "application/json"})
        if status == 429:
            break
        assert status == 502  # no identity behind this gateway: the request got through
        passed += 1
    assert passed >= 201
    _assert_gateway_error(status, headers, body, 429, "too_many_requests")
    assert headers["Retry-After"] == "1"
    # Other identity routes are not throttled.
    assert _request(gateway, "GET", "/api/identity/healthz")[0] == 502


def test_gateway_streams_server_sent_events(gateway):
    sock = socket.create_connection(("127.0.0.1", gateway), timeout=5)
    try:
        sock.sendall(b"GET /api/performance/v1/team/status/stream HTTP/1.1\r\n"
                     b"Host: localhost\r\nAccept: text/event-stream\r\n\r\n")
        received = b""
        while b"data: first" not in received:
            chunk = sock.recv(4096)  # socket.timeout here means the gateway buffered
            assert chunk, "stream closed before the first event"
            received += chunk
        assert b"data: second" not in received
        _StubUpstream.sse_release.set()
        while b"data: second" not in received:
            chunk = sock.recv(4096)
            if not chunk:
                break
            received += chunk
        assert b"data: second" in received
    finally:
        sock.close()


# --------------------------------------------------------------------------
# Dockerfiles, .dockerignore, web placeholder
# --------------------------------------------------------------------------


def _instructions(path: Path) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, continuation lines joined, comments dropped."""
    logical, current = [], ""
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not current and (not line or line.startswith("#")):
            continue
        if line.startswith("#"):
            continue
        if line.endswith("\\"):
            current += line[:-1] + " "
            continue
        logical.append(current + line)
        current = ""
    return [(l.split(None, 1)[0].upper(), l.split(None, 1)[1] if " " in l else "") for l in logical]


@pytest.mark.parametrize("svc", SERVICES)
def test_service_dockerfile(repo_root, svc):
    ins = _instructions(repo_root / "services" / svc / "Dockerfile")
    froms = [args for op, args in ins if op == "FROM"]
    assert len(froms) >= 2, "multi-stage build expected"
    assert all(f.split()[0] == "python:3.11-slim" for f in froms)
    users = [args for op, args in ins if op == "USER"]
    assert users and users[-1].split(":")[0] not in ("root", "0")
    runs = " ".join(args for op, args in ins if op == "RUN")
    assert "pytest" not in runs.lower()
    assert not re.search(r"\[(dev|test|tests)\]", runs)
    assert f"./services/{svc}" in runs and "./shared" in runs
    assert ("EXPOSE", "8000") in ins
    assert any(op == "COPY" and args.endswith("/app/gunicorn.conf.py") for op, args in ins)
    health = [args for op, args in ins if op == "HEALTHCHECK"]
    assert health and f"http://127.0.0.1:8000/api/{svc}/healthz" in health[-1]
    cmd = [args for op, args in ins if op == "CMD"][-1]
    assert json.loads(cmd) == ["gunicorn", "-c", "/app/gunicorn.conf.py", f"{svc}.app:create_app()"]


def test_gateway_dockerfile(repo_root):
    text = (repo_root / "gateway" / "Dockerfile").read_text(encoding="utf-8")
    ins = _instructions(repo_root / "gateway" / "Dockerfile")
    froms = [a for op, a in ins if op == "FROM"]
    assert froms[-1] == "nginx:1.27-alpine" and froms[0].startswith("node:20")
    runs = " ".join(a for op, a in ins if op == "RUN")
    assert "npm ci" in runs and "npm run build" in runs
    assert any(op == "COPY" and a.startswith("--from=web ") and a.endswith("/usr/share/nginx/html/") for op, a in ins)
    assert any(op == "COPY" and "/etc/nginx/templates/" in a for op, a in ins)
    assert "conf.d/default.conf" in text
    assert any(op == "HEALTHCHECK" and "wget" in a for op, a in ins)
    for name, value in (("GATEWAY_LISTEN", "8080"), ("IDENTITY_UPSTREAM", "identity:8000"),
                        ("PRESENCE_UPSTREAM", "presence:8000"),
                        ("PERFORMANCE_UPSTREAM", "performance:8000"),
                        ("WEB_ROOT", "/usr/share/nginx/html"), ("MAP_TILE_URL", '""')):
        assert f"{name}={value}" in text
    # The image's entrypoint hands this filter to awk; for this pattern an ERE
    # and a Python regex agree. `\$` is the Dockerfile escape for `$`.
    raw = re.search(r'NGINX_ENVSUBST_FILTER="([^"]*)"', text).group(1).replace("\\$", "$")
    pattern = re.compile(raw)
    assert all(pattern.search(v) for v in GATEWAY_VARS)
    for other in ("NGINX_VERSION", "PATH", "HOSTNAME", "HOME", "WEB_ROOT_X", "MY_WEB_ROOT"):
        assert not pattern.search(other), other


def test_image_entrypoint_renders_like_the_tests(repo_root):
    """Replays the nginx image's 20-envsubst-on-templates step (awk filter over
    the environment, then envsubst) with the Dockerfile's filter."""
    envsubst = shutil.which("envsubst")
    if envsubst is None:
        pytest.skip("envsubst (Debian gettext-base) not installed")
    text = (repo_root / "gateway" / "Dockerfile").read_text(encoding="utf-8")
    filt = re.search(r'NGINX_ENVSUBST_FILTER="([^"]*)"', text).group(1).replace("\\$", "$")
    values = _test_values(repo_root, "8080", "identity:8000", "presence:8000", "performance:8000")
    # Names nginx uses as its own variables must survive even when set in the environment.
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "NGINX_ENVSUBST_FILTER": filt,
           "request_id": "LEAKED", "uri": "LEAKED", "host": "LEAKED", **values}
    script = (
        'filter="${NGINX_ENVSUBST_FILTER:-}"\n'
        'defined_envs=$(printf \'${%s} \' $(awk "END { for (name in ENVIRON) '
        '{ print ( name ~ /${filter}/ ) ? name : \\"\\" } }" </dev/null))\n'
        'envsubst "$defined_envs" < "$1"\n'
    )
    result = subprocess.run(
        ["sh", "-c", script, "sh", str(repo_root / "gateway" / "nginx" / "sipk.conf.template")],
        env=env, capture_output=True, text=True, timeout=30, check=True,
    )
    assert "LEAKED" not in result.stdout
    assert result.stdout == render_gateway(repo_root, values)


def test_dockerignore(repo_root):
    lines = {l.strip() for l in (repo_root / ".dockerignore").read_text().splitlines()
             if l.strip() and not l.startswith("#")}
    for entry in (".git", ".venv", ".run", ".cache", "tests", "bench", "secrets"):
        assert entry in lines, entry
    assert {"**/__pycache__", "**/*.pyc"} <= lines
    assert not lines & {"shared", "services", "shared/", "services/"}


def test_web_app_sources(repo_root):
    web = repo_root / "web"
    html = (web / "index.html").read_text(encoding="utf-8")
    assert "<title>Si Pelawan &amp; Si Ketawai</title>" in html
    # No inline script and no external assets: everything is served by the gateway itself.
    assert re.findall(r"<script\b[^>]*>", html) == ['<script type="module" src="/src/main.tsx">']
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert "<style" not in html and "@import" not in html
    lock = json.loads((web / "package-lock.json").read_text(encoding="utf-8"))
    assert lock["lockfileVersion"] >= 3
    assert all(not str(p.get("resolved", "")).startswith("http://") for p in lock["packages"].values())
    ignored = subprocess.run(["git", "check-ignore", "-q", "web/dist/index.html"], cwd=repo_root).returncode
    assert ignored == 0, "the build output must not be committed"


def test_identity_trusts_x_real_ip_from_the_gateway_only(compose):
    """The sign-in throttle keys on the client's address: identity must trust the gateway's
    X-Real-IP, and nobody else's (a pinned address, not the whole network)."""
    gateway_ip = compose["services"]["gateway"]["networks"]["default"]["ipv4_address"]
    assert _env(compose["services"]["identity"])["TRUSTED_PROXIES"] == f"{gateway_ip}/32"
    subnet = compose["networks"]["default"]["ipam"]["config"][0]["subnet"]
    import ipaddress
    assert ipaddress.ip_address(gateway_ip) in ipaddress.ip_network(subnet)
