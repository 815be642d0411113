#!/usr/bin/env python3
"""Local stack for development and CI: no Docker engine, no mongod needed.

    python3 dev/stack.py install   # venv, Debian packages, the dev database's jars
    python3 dev/stack.py up        # install if needed, start everything, wait until ready
    python3 dev/stack.py down      # stop what `up` started (by pid, process group)
    python3 dev/stack.py status
    python3 dev/stack.py clean-data   # wipe the dev database (stack stopped); it survives down/up otherwise
    python3 dev/stack.py restart presence   # reload one service (api + worker) after a code change
    python3 dev/stack.py stop rabbitmq      # stop / start one component (rabbitmq, mongo, presence,
    python3 dev/stack.py start rabbitmq     #   presence-worker, ...): the fault tests use these
    python3 dev/stack.py demo      # load demo data, print demo logins
    python3 dev/stack.py test [pytest args]  # up, pytest, down (if it started the stack)

A second stack can run beside the first (say a clean-clone CI check while
`make up` is running): SIPK_PORT_OFFSET=100 moves every port (and RabbitMQ's
epmd and node name) and SIPK_RUN_DIR=/tmp/x keeps its data, logs and pids apart.
Neither touches the other: each runs its own epmd (stopped by pid, never
`epmd -kill`), its Erlang cookie and RabbitMQ config live in its run dir, a
pid counts as ours only with the start time we recorded (not a zombie, not a
recycled pid), and gunicorn's shared control socket is off
(tests/integration/platform/test_stack_isolation.py checks it).

Only the standard library is used here: this script creates the venv.
Processes are started in their own session and recorded in .run/pids/, so
`down` stops exactly what `up` started and nothing else.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUN = Path(os.environ.get("SIPK_RUN_DIR") or ROOT / ".run").resolve()
PIDS = RUN / "pids"
LOGS = RUN / "logs"
VENV = ROOT / ".venv"
PY = VENV / "bin" / "python"
CACHE = Path(os.environ.get("SIPK_CACHE_DIR", Path.home() / ".cache" / "sipk"))

HOST = "127.0.0.1"
PORT_OFFSET = int(os.environ.get("SIPK_PORT_OFFSET") or 0)
PORTS = {name: port + PORT_OFFSET for name, port in {
    "mongo": 27017, "rabbitmq": 5672, "identity": 8001, "presence": 8002, "performance": 8003,
    "gateway": 8080, "rabbitmq_dist": 25679, "epmd": 4369}.items()}
if os.environ.get("GATEWAY_PORT"):
    PORTS["gateway"] = int(os.environ["GATEWAY_PORT"])
SERVICES = ("identity", "presence", "performance")
GATEWAY = f"http://{HOST}:{PORTS['gateway']}"

# Documented development values; production sets its own (compose requires them).
DEV_ADMIN_NIP = "198001012005011001"
DEV_ADMIN_PASSWORD = "admin-dev-password"

APT_PACKAGES = {  # binary that proves the package is there -> Debian package
    "/usr/lib/rabbitmq/bin/rabbitmq-server": "rabbitmq-server",
    "/usr/sbin/nginx": "nginx-light",
    "/usr/bin/chromium": "chromium",
    "/usr/bin/docker-compose": "docker-compose",
    # WeasyPrint (the performance service's PDF documents) needs pango and a font
    "/usr/share/doc/libpango-1.0-0/copyright": "libpango-1.0-0",
    "/usr/share/doc/libpangoft2-1.0-0/copyright": "libpangoft2-1.0-0",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf": "fonts-dejavu-core",
}

RABBIT_BIN = "/usr/lib/rabbitmq/bin"


def say(msg: str) -> None:
    print(f"[stack] {msg}", flush=True)


def run(cmd: list[str], **kw) -> None:
    subprocess.run(cmd, check=True, **kw)


# --------------------------------------------------------------------- install
def install_system_packages() -> None:
    missing = sorted({pkg for path, pkg in APT_PACKAGES.items() if not Path(path).exists()})
    if not missing:
        return
    if os.geteuid() != 0:
        sys.exit(f"missing Debian packages {missing}: run `sudo apt-get install {' '.join(missing)}`")
    say(f"installing Debian packages: {' '.join(missing)}")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    run(["apt-get", "update", "-qq"], env=env)
    run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing], env=env,
        stdout=subprocess.DEVNULL)


def _digest(paths: list[Path]) -> str:
    h = hashlib.sha256()
    for p in paths:
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()[:16]


def install_venv() -> None:
    inputs = [ROOT / "dev/constraints.txt", ROOT / "dev/requirements-dev.txt", ROOT / "shared/pyproject.toml",
              *(ROOT / f"services/{s}/pyproject.toml" for s in SERVICES)]
    stamp = VENV / ".sipk-stamp"
    digest = _digest(inputs)
    if PY.exists() and stamp.exists() and stamp.read_text() == digest:
        return
    say("preparing Python venv (.venv)")
    if not PY.exists():
        run([sys.executable, "-m", "venv", str(VENV)])
    pip = [str(PY), "-m", "pip", "install", "-q", "--disable-pip-version-check", "-c", "dev/constraints.txt"]
    run([*pip, "-e", "shared", *(x for s in SERVICES for x in ("-e", f"services/{s}")),
         "-r", "dev/requirements-dev.txt"], cwd=ROOT)
    stamp.write_text(digest)


MONGO_DIR = ROOT / "dev/mongo"


def mongo_jars() -> Path:
    """Where the dev database's jars are cached: keyed by the pom, so a version bump fetches anew."""
    return CACHE / f"mongo-java-server-{_digest([MONGO_DIR / 'pom.xml'])}"


def install_mongo() -> None:
    """Fetch mongo-java-server and its H2 backend from Maven Central (dev/mongo/pom.xml), once.

    Nothing is built: dev/mongo/Launcher.java runs from source against these jars."""
    if external_mongo():
        return
    jars = mongo_jars()
    if jars.is_dir():
        return
    for tool in ("java", "mvn"):
        if not shutil.which(tool):
            sys.exit(f"{tool} is needed for the dev database (dev/mongo): apt-get install openjdk-17-jre-headless maven")
    say("fetching mongo-java-server from Maven Central (first time only)")
    tmp = jars.with_name(f"{jars.name}.tmp{os.getpid()}")  # two stacks installing at once: each its own
    shutil.rmtree(tmp, ignore_errors=True)
    run(["mvn", "-q", "-B", "-f", str(MONGO_DIR / "pom.xml"), "dependency:copy-dependencies",
         f"-DoutputDirectory={tmp}"])
    try:
        tmp.rename(jars)
    except OSError:  # the other one was first: its copy is the same
        shutil.rmtree(tmp, ignore_errors=True)


def external_mongo() -> str | None:
    """MONGO_URI in the environment: run everything against that database and start none of our own."""
    return os.environ.get("MONGO_URI") or None


WEB = ROOT / "web"
WEB_DIST = WEB / "dist"
WEB_SKIP = {"node_modules", "dist", "dist.new", "dist.old"}


def web_inputs() -> list[Path]:
    """Everything the web build reads: sources, config and the lockfile (not node_modules or output)."""
    return sorted(p for p in WEB.rglob("*")
                  if p.is_file() and not WEB_SKIP & set(p.relative_to(WEB).parts[:1]))


def install_web() -> None:
    """npm ci when the lockfile changed, vite build when any input changed (cached by digest).

    The build goes to web/dist.new and replaces web/dist in one rename, so the
    gateway never serves a half-written app."""
    if not (WEB / "package.json").exists():
        return
    npm = shutil.which("npm")
    if npm is None:
        sys.exit("npm is needed for the web app (web/): install Node.js >= 20.19 with npm")
    lock_digest = _digest([WEB / "package.json", WEB / "package-lock.json"])
    modules_stamp = WEB / "node_modules" / ".sipk-stamp"
    if not (modules_stamp.exists() and modules_stamp.read_text() == lock_digest):
        say("installing the web app's packages (npm ci)")
        run([npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=WEB)
        modules_stamp.write_text(lock_digest)
    h = hashlib.sha256()
    for path in web_inputs():
        h.update(str(path.relative_to(WEB)).encode() + b"\0" + path.read_bytes() + b"\0")
    digest = h.hexdigest()[:16]
    stamp = WEB_DIST / ".sipk-build"
    if stamp.exists() and stamp.read_text() == digest:
        return
    say("building the web app (vite build -> web/dist)")
    staging = WEB / "dist.new"
    shutil.rmtree(staging, ignore_errors=True)
    run([npm, "run", "--silent", "build", "--", "--outDir", str(staging), "--emptyOutDir", "--logLevel", "warn"], cwd=WEB)
    (staging / ".sipk-build").write_text(digest)
    old = WEB / "dist.old"
    shutil.rmtree(old, ignore_errors=True)
    if WEB_DIST.exists():
        WEB_DIST.rename(old)
    staging.rename(WEB_DIST)
    shutil.rmtree(old, ignore_errors=True)


def install() -> None:
    install_system_packages()
    install_venv()
    install_mongo()
    install_web()


# ------------------------------------------------------------------- processes
def pid_file(name: str) -> Path:
    return PIDS / f"{name}.pid"


def _proc_stat(pid: int) -> tuple[str, str] | None:
    """(state, start time in clock ticks since boot) of a process, from /proc; None if it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2:].split()  # after "pid (comm) ": state is field 3, starttime 22
    return fields[0], fields[19]


def _reap(pid: int) -> None:
    try:  # ours (this process started it, e.g. `test`): collect it so it does not stay a zombie
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        pass


def alive(name: str) -> int | None:
    """The pid of ``name`` if the process this stack started still runs.

    A zombie (killed, not yet reaped) is dead. A pid the kernel has given to another process since
    (another stack's, say) is not ours: the pid file records the process's start time too."""
    try:
        recorded = pid_file(name).read_text().split()
        pid = int(recorded[0])
    except (OSError, ValueError, IndexError):
        return None
    stat = _proc_stat(pid)
    if stat is None:
        return None
    state, started = stat
    if state in ("Z", "X"):
        _reap(pid)
        return None
    if len(recorded) > 1 and recorded[1] != started:
        return None
    # Files from before start times were recorded: the process group we created must still be it.
    try:
        return pid if os.getpgid(pid) == pid else None
    except ProcessLookupError:
        return None


def port_open(port: int, host: str = HOST) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.3):
            return True
    except OSError:
        return False


def start(name: str, cmd: list[str], *, env: dict | None = None, cwd: Path = ROOT, port: int | None = None) -> None:
    if alive(name):
        say(f"{name}: already running (pid {alive(name)})")
        return
    if port is not None and port_open(port):
        sys.exit(f"{name}: port {port} is taken by a process this stack did not start; stop it or free the port")
    PIDS.mkdir(parents=True, exist_ok=True)
    LOGS.mkdir(parents=True, exist_ok=True)
    log = open(LOGS / f"{name}.log", "ab")
    proc = subprocess.Popen(cmd, cwd=cwd, env={**os.environ, **(env or {})}, stdout=log, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL, start_new_session=True)
    stat = _proc_stat(proc.pid)
    pid_file(name).write_text(f"{proc.pid} {stat[1] if stat else ''}".strip())
    say(f"{name}: started (pid {proc.pid}, log {LOGS / (name + '.log')})")


def stop(name: str, timeout: float = 15.0) -> None:
    pid = alive(name)
    if pid is None:
        pid_file(name).unlink(missing_ok=True)
        return
    try:
        os.killpg(pid, signal.SIGTERM)
    except ProcessLookupError:
        pass
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        # When this same process started it (`test`), reap it: a zombie
        # leader would keep its process group "alive".
        _reap(pid)
        try:
            os.killpg(pid, 0)
        except ProcessLookupError:
            break
        if _group_only_zombies(pid):
            break
        time.sleep(0.1)
    else:
        say(f"{name}: did not stop in {timeout:.0f}s; killing")
        try:
            os.killpg(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    pid_file(name).unlink(missing_ok=True)
    say(f"{name}: stopped")


def _group_only_zombies(pgid: int) -> bool:
    """Every process left in the group is a zombie (its parent, not us, has yet to reap it)."""
    states = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            text = (entry / "stat").read_text()
        except OSError:
            continue
        fields = text[text.rindex(")") + 2:].split()
        if fields[2] == str(pgid):
            states.append(fields[0])
    return all(state in ("Z", "X") for state in states)


def wait_for(what: str, check, timeout: float, name: str | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        if name and not alive(name):
            sys.exit(f"{what} exited during start-up; see .run/logs/{name}.log")
        time.sleep(0.2)
    sys.exit(f"{what} not ready after {timeout:.0f}s; see .run/logs/")


def http_status(url: str) -> int | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as resp:
            return resp.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except (urllib.error.URLError, OSError):
        return None


# ------------------------------------------------------------------ components
def rabbit_env() -> dict:
    """Everything RabbitMQ and Erlang read, pointed into this stack's run dir and ports: node name,
    cookie (HOME), data, logs, pid file, epmd, and no machine-wide rabbitmq-env.conf."""
    base = RUN / "rabbitmq"
    for sub in ("home", "mnesia", "log"):
        (base / sub).mkdir(parents=True, exist_ok=True)
    (base / "rabbitmq-env.conf").touch()
    return {
        "HOME": str(base / "home"),  # holds the Erlang cookie
        "RABBITMQ_CONF_ENV_FILE": str(base / "rabbitmq-env.conf"),
        "RABBITMQ_NODENAME": f"sipk{PORT_OFFSET or ''}@localhost",
        "RABBITMQ_NODE_IP_ADDRESS": HOST,
        "RABBITMQ_NODE_PORT": str(PORTS["rabbitmq"]),
        "RABBITMQ_DIST_PORT": str(PORTS["rabbitmq_dist"]),
        "RABBITMQ_MNESIA_BASE": str(base / "mnesia"),
        "RABBITMQ_LOG_BASE": str(base / "log"),
        "RABBITMQ_PID_FILE": str(base / "beam.pid"),
        "RABBITMQ_ENABLED_PLUGINS_FILE": str(base / "enabled_plugins"),
        "RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS": "-kernel inet_dist_use_interface {127,0,0,1}",
        "ERL_EPMD_ADDRESS": HOST,
        "ERL_EPMD_PORT": str(PORTS["epmd"]),
    }


def mongo_uri() -> str:
    return external_mongo() or f"mongodb://{HOST}:{PORTS['mongo']}"


def service_env(svc: str) -> dict:
    env = {
        "MONGO_URI": mongo_uri(),
        "MONGO_DB": os.environ.get("SIPK_DB_PREFIX", "") + svc,
        "AMQP_URL": f"amqp://guest:guest@{HOST}:{PORTS['rabbitmq']}/%2F",
        "JWKS_URL": f"http://{HOST}:{PORTS['identity']}/api/identity/v1/auth/jwks",
        "BIND": f"{HOST}:{PORTS[svc]}",
        "LOG_LEVEL": os.environ.get("LOG_LEVEL", "INFO"),
        # API workers and the service's worker process write metrics here; /metrics sums them.
        "PROMETHEUS_MULTIPROC_DIR": str(RUN / "metrics" / svc),
    }
    if svc == "identity":
        env.update({
            "JWT_PRIVATE_KEY_FILE": str(RUN / "secrets/jwt_ed25519.pem"),
            "BOOTSTRAP_ADMIN_NIP": os.environ.get("BOOTSTRAP_ADMIN_NIP", DEV_ADMIN_NIP),
            "BOOTSTRAP_ADMIN_PASSWORD": os.environ.get("BOOTSTRAP_ADMIN_PASSWORD", DEV_ADMIN_PASSWORD),
        })
    if svc == "presence":
        env["GUNICORN_WORKERS"] = os.environ.get("PRESENCE_WORKERS", "2")
    return env


def ensure_signing_key() -> None:
    key = RUN / "secrets/jwt_ed25519.pem"
    if key.exists():
        return
    say("generating a development signing key (.run/secrets, git-ignored)")
    run([str(PY), "-c", "import sys; from identity.keys import generate_key_file; generate_key_file(sys.argv[1])",
         str(key)])


def render_gateway() -> Path:
    conf_dir = RUN / "nginx"
    for sub in ("tmp", "logs"):
        (conf_dir / sub).mkdir(parents=True, exist_ok=True)
    values = {
        "GATEWAY_LISTEN": f"{HOST}:{PORTS['gateway']}",
        "IDENTITY_UPSTREAM": f"{HOST}:{PORTS['identity']}",
        "PRESENCE_UPSTREAM": f"{HOST}:{PORTS['presence']}",
        "PERFORMANCE_UPSTREAM": f"{HOST}:{PORTS['performance']}",
        "WEB_ROOT": str(WEB_DIST),
        # Map tiles for the console (docs/web.md): none unless set.
        "MAP_TILE_URL": os.environ.get("SIPK_MAP_TILE_URL", ""),
    }
    text = (ROOT / "gateway/nginx/sipk.conf.template").read_text()
    for key, value in values.items():
        text = text.replace("${" + key + "}", value)
    (conf_dir / "sipk.conf").write_text(text)
    tmp = conf_dir / "tmp"
    main = f"""# Rendered by dev/stack.py: the local stand-in for the gateway container.
worker_processes 2;
pid {conf_dir}/nginx.pid;
error_log {LOGS}/gateway-error.log warn;
events {{ worker_connections 4096; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    access_log {LOGS}/gateway-access.log;
    include {conf_dir}/sipk.conf;
}}
"""
    (conf_dir / "nginx.conf").write_text(main)
    run(["/usr/sbin/nginx", "-t", "-q", "-c", str(conf_dir / "nginx.conf")])
    return conf_dir / "nginx.conf"


# Several stacks share the machine: a bounded heap (1 GiB, enough for the benches: 100,000 employees and
# a month of their check-ins) on the serial GC, which measured fastest here on 2 shared cores (G1 took
# up to 10x longer per scan). Connects, disconnects and the per-index "secondary index not implemented"
# warning are not logged (docs/platform.md says it once).
MONGO_JVM = ["-Xms256m", "-Xmx1g", "-XX:+UseSerialGC",
             "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-Dorg.slf4j.simpleLogger.showDateTime=true",
             "-Dorg.slf4j.simpleLogger.log.de.bwaldvogel.mongo.backend.AbstractMongoDatabase=error"]


def start_mongo() -> None:
    if external_mongo():
        return
    start("mongo", ["java", *MONGO_JVM, "-cp", f"{mongo_jars()}/*", str(MONGO_DIR / "Launcher.java"),
                    HOST, str(PORTS["mongo"]), str(RUN / "mongo" / "sipk.mv")], port=PORTS["mongo"])
    wait_for("MongoDB-wire server", lambda: port_open(PORTS["mongo"]), 60, "mongo")


def start_api(svc: str) -> None:
    metrics_dir = RUN / "metrics" / svc
    if not alive(svc):  # never under a running service: its processes keep writing to the files they opened
        shutil.rmtree(metrics_dir, ignore_errors=True)  # values of dead processes from an earlier run
    metrics_dir.mkdir(parents=True, exist_ok=True)
    start(svc, [str(VENV / "bin/gunicorn"), "-c", f"services/{svc}/gunicorn.conf.py", f"{svc}.app:create_app()"],
          env=service_env(svc), port=PORTS[svc])


def start_worker(svc: str) -> None:
    start(f"{svc}-worker", [str(PY), "-m", f"{svc}.worker"], env=service_env(svc))


def start_rabbitmq() -> None:
    # Our own epmd, in the foreground and recorded like every other process: RabbitMQ would
    # otherwise daemonise one that outlives the stack, and `epmd -kill` on the way down is a
    # broadcast (it stops whatever epmd answers on that port, whoever's nodes it serves).
    if alive("epmd") or not port_open(PORTS["epmd"]):
        start("epmd", ["epmd", "-port", str(PORTS["epmd"]), "-address", HOST], env=rabbit_env(), port=PORTS["epmd"])
        wait_for("epmd", lambda: port_open(PORTS["epmd"]), 15, "epmd")
    else:  # one from before this stack tracked epmd (it serves our node): use it, never stop it
        say(f"epmd: one already answers on port {PORTS['epmd']}; using it")
    start("rabbitmq", [f"{RABBIT_BIN}/rabbitmq-server"], env=rabbit_env(), port=PORTS["rabbitmq"])


def up() -> None:
    install()
    started = time.monotonic()
    start_rabbitmq()
    start_mongo()
    wait_for("RabbitMQ", lambda: port_open(PORTS["rabbitmq"]), 90, "rabbitmq")
    ensure_signing_key()
    for svc in SERVICES:
        start_api(svc)
        if svc == "identity":
            # presence/performance fetch identity's JWKS; start them once it answers.
            wait_for("identity", lambda: http_status(f"http://{HOST}:{PORTS['identity']}/api/identity/readyz") == 200,
                     60, "identity")
    for svc in SERVICES:
        start_worker(svc)
    conf = render_gateway()
    start("gateway", ["/usr/sbin/nginx", "-c", str(conf), "-g", "daemon off;"], port=PORTS["gateway"])
    for svc in SERVICES:
        wait_for(f"{svc} through the gateway",
                 lambda svc=svc: http_status(f"{GATEWAY}/api/{svc}/readyz") == 200, 60, svc)
    say(f"ready in {time.monotonic() - started:.1f}s")
    print(f"""
  Web app      {GATEWAY}/            (sign in with a demo login: make demo)
  API docs     {GATEWAY}/api/identity/docs  /api/presence/docs  /api/performance/docs
  MongoDB      {mongo_uri()}   RabbitMQ amqp://guest:guest@{HOST}:{PORTS['rabbitmq']}
  Logs         {LOGS}/
  Sign in      curl -s {GATEWAY}/api/identity/v1/auth/login -H 'Content-Type: application/json' \\
                 -d '{{"nip": "{service_env('identity')['BOOTSTRAP_ADMIN_NIP']}", "password": "<BOOTSTRAP_ADMIN_PASSWORD>"}}'
               (local default admin password: {DEV_ADMIN_PASSWORD!r} unless BOOTSTRAP_ADMIN_PASSWORD is set)
  Demo data    make demo        Stop: make down
""", flush=True)


def down() -> None:
    for name in ("gateway", *(f"{s}-worker" for s in SERVICES), *reversed(SERVICES), "rabbitmq", "epmd", "mongo"):
        stop(name)


def clean_data() -> None:
    if any(alive(n) for n in ("mongo", *SERVICES)):
        sys.exit("stop the stack first (make down)")
    shutil.rmtree(RUN / "mongo", ignore_errors=True)
    say(f"removed {RUN / 'mongo'}")


def restart(svc: str) -> None:
    if svc == "rabbitmq":  # used by tests that prove nothing is lost across a broker restart
        stop("rabbitmq")
        start_rabbitmq()
        wait_for("RabbitMQ", lambda: port_open(PORTS["rabbitmq"]), 90, "rabbitmq")
        return
    if svc == "mongo":
        if external_mongo():
            sys.exit("MONGO_URI is set: the database is not ours to restart")
        stop("mongo")
        start_mongo()
        return
    if svc == "gateway":  # re-render the template and restart nginx
        conf = render_gateway()
        stop("gateway")
        start("gateway", ["/usr/sbin/nginx", "-c", str(conf), "-g", "daemon off;"], port=PORTS["gateway"])
        wait_for("gateway", lambda: http_status(f"{GATEWAY}/healthz") == 200, 30, "gateway")
        return
    if svc not in SERVICES:
        sys.exit(f"unknown service {svc!r}; one of gateway, rabbitmq, mongo, {', '.join(SERVICES)}")
    stop(f"{svc}-worker")
    stop(svc)
    start_api(svc)
    start_worker(svc)
    wait_for(f"{svc} through the gateway", lambda: http_status(f"{GATEWAY}/api/{svc}/readyz") == 200, 60, svc)


def start_one(name: str) -> None:
    """Start one component of a running stack again (the fault tests stop and start them)."""
    if name == "rabbitmq":
        start_rabbitmq()
        wait_for("RabbitMQ", lambda: port_open(PORTS["rabbitmq"]), 90, "rabbitmq")
    elif name == "mongo":
        if external_mongo():
            sys.exit("MONGO_URI is set: the database is not ours to start")
        start_mongo()
    elif name in SERVICES:
        start_api(name)
        wait_for(f"{name} through the gateway", lambda: http_status(f"{GATEWAY}/api/{name}/readyz") == 200, 60, name)
    elif name.endswith("-worker") and name[:-len("-worker")] in SERVICES:
        start_worker(name[:-len("-worker")])
    else:
        sys.exit(f"unknown component {name!r}")


def status() -> None:
    names = (*(() if external_mongo() else ("mongo",)), "epmd", "rabbitmq", *SERVICES, *(f"{s}-worker" for s in SERVICES),
             "gateway")
    for name in names:
        pid = alive(name)
        print(f"  {name:20} {'running pid ' + str(pid) if pid else 'stopped'}")
    for svc in SERVICES:
        print(f"  {svc} readyz via gateway: {http_status(f'{GATEWAY}/api/{svc}/readyz')}")


DEMO_UNITS = ("BKPSDM", "SETDA", "DISDIK", "DINKES")


def api_call(method: str, path: str, body: dict | None = None, token: str | None = None) -> tuple[int, dict]:
    import json

    req = urllib.request.Request(GATEWAY + path, method=method, data=json.dumps(body).encode() if body is not None else None,
                                 headers={"Content-Type": "application/json",
                                          **({"Authorization": f"Bearer {token}"} if token else {})})
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status, json.loads(resp.read() or b"{}")
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"{}")


def demo_rosters() -> None:
    """A WFO/WFH roster (30 % WFO, as in the COVID-19 rules) for the demo units' next two weeks, generated
    through the public API as the bootstrap admin, so the app shows WFH days."""
    from datetime import date, timedelta

    env = service_env("identity")
    status, pair = api_call("POST", "/api/identity/v1/auth/login",
                            {"nip": env["BOOTSTRAP_ADMIN_NIP"], "password": env["BOOTSTRAP_ADMIN_PASSWORD"]})
    if status != 200:
        say(f"demo roster skipped: admin sign-in answered {status}")
        return
    start = date.today()
    body = {"start_date": start.isoformat(), "end_date": (start + timedelta(days=13)).isoformat(), "wfo_ratio": 0.3}
    for unit in DEMO_UNITS:
        deadline = time.monotonic() + 30
        while True:  # presence gets its employee copies from identity's events a moment later
            status, answer = api_call("POST", "/api/presence/v1/rosters/generate", {**body, "unit_code": unit},
                                      pair["access_token"])
            if status == 200 or answer.get("error") not in ("no_staff", "no_office") or time.monotonic() > deadline:
                break
            time.sleep(1)
        print(f"  roster {unit:7} {body['start_date']}..{body['end_date']}: "
              + (f"{answer.get('entries')} entries for {answer.get('staff')} staff" if status == 200
                 else f"not generated ({status} {answer.get('error')})"))


def demo() -> None:
    if not all(alive(s) for s in SERVICES):
        up()
    # identity first: its events give presence and performance their employee copies.
    for svc in SERVICES:
        module = ROOT / f"services/{svc}/{svc}/demo.py"
        if module.exists():
            run([str(PY), "-m", f"{svc}.demo"], env={**os.environ, **service_env(svc)})
    print("Demo rosters (WFO 30 %):")
    demo_rosters()
    print(f"""
Try the app: {GATEWAY}/ (a phone-sized window works best). Sign in with any NIP above and the
password Demo-Pelawan-2020: a "Kepala ..." sees the team board and the approvals inbox, an
"Analis" clocks in. The browser's position must be within 50 m of the office (Koba, about
-2.4816, 106.3998 for BKPSDM/SETDA); Chromium's DevTools -> Sensors can set it.
""")


def test(args: list[str]) -> int:
    was_up = all(alive(n) for n in (*(() if external_mongo() else ("mongo",)), "rabbitmq", *SERVICES, "gateway"))
    up()
    try:
        env = {**os.environ, "SIPK_GATEWAY": GATEWAY, "SIPK_MONGO_URI": mongo_uri(),
               "SIPK_AMQP_URL": f"amqp://guest:guest@{HOST}:{PORTS['rabbitmq']}/%2F",
               "SIPK_IDENTITY_URL": f"http://{HOST}:{PORTS['identity']}",
               **{f"SIPK_{svc.upper()}_DB": service_env(svc)["MONGO_DB"] for svc in SERVICES},
               "SIPK_MONGO_OURS": "" if external_mongo() else "1",  # the stack's own dev database
               "SIPK_PRESENCE_URL": f"http://{HOST}:{PORTS['presence']}",
               "SIPK_PERFORMANCE_URL": f"http://{HOST}:{PORTS['performance']}",
               "SIPK_RUN_DIR": str(RUN),
               "SIPK_ADMIN_NIP": service_env("identity")["BOOTSTRAP_ADMIN_NIP"],
               "SIPK_ADMIN_PASSWORD": service_env("identity")["BOOTSTRAP_ADMIN_PASSWORD"],
               # Apps that tests build in-process find this stack's database, broker and JWKS.
               **{k: service_env("presence")[k] for k in ("MONGO_URI", "AMQP_URL", "JWKS_URL")},
               # whether tests may stop and start the database (the fault tests)
               "SIPK_MONGO_EXTERNAL": "1" if external_mongo() else ""}
        code = subprocess.run([str(PY), "-m", "pytest", *(args or ["tests"])], cwd=ROOT, env=env).returncode
    finally:
        if not was_up:
            down()
    return code


def main(argv: list[str]) -> int:
    if not argv or argv[0] in {"-h", "--help"}:
        print(__doc__)
        return 0
    command, rest = argv[0], argv[1:]
    if command == "install":
        install()
    elif command == "up":
        up()
    elif command == "down":
        down()
    elif command == "restart" and len(rest) == 1:
        restart(rest[0])
    elif command == "stop" and len(rest) == 1:
        if rest[0] == "mongo" and external_mongo():
            sys.exit("MONGO_URI is set: the database is not ours to stop")
        stop(rest[0])
    elif command == "start" and len(rest) == 1:
        start_one(rest[0])
    elif command == "status":
        status()
    elif command == "clean-data":
        clean_data()
    elif command == "demo":
        demo()
    elif command == "test":
        return test(rest)
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
