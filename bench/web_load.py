"""The web app's weight and first load, Lighthouse-style, against a running stack.

    .venv/bin/python bench/web_load.py [--runs 5] [--gateway http://127.0.0.1:8080]

* sizes of the built files in web/dist (raw, gzip -9, and gzip level 1 as nginx sends them);
* first load in Debian's Chromium with Lighthouse's "slow 4G" mobile profile through CDP
  (Network.emulateNetworkConditions: 150 ms RTT, 1.6 Mbit/s down, 750 kbit/s up; CPU slowed 4x
  with Emulation.setCPUThrottlingRate), at 390x844: first contentful paint and the load event
  from the Performance API, and the time until the sign-in form is on screen. Cold = a new
  browser profile each run (nothing cached); warm = the second visit (HTTP cache + service worker).

Prints the machine (cores, CPU model, load average) with the numbers: timings are noisy on a
shared machine, so compare runs on the same machine only.
"""
from __future__ import annotations

import argparse
import gzip
import os
import platform
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DIST = ROOT / "web" / "dist"
CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SLOW_4G = {"offline": False, "latency": 150, "downloadThroughput": 1.6 * 1024 * 1024 / 8,
           "uploadThroughput": 750 * 1024 / 8}
CPU_SLOWDOWN = 4


def kb(n: float) -> str:
    return f"{n / 1024:.1f} KB"


def sizes() -> None:
    if not DIST.is_dir():
        sys.exit("web/dist is missing: run `python3 dev/stack.py install` first")
    html = (DIST / "index.html").read_text()
    rows, totals = [], {}
    for path in sorted((DIST / "assets").iterdir()):
        data = path.read_bytes()
        initial = f"/assets/{path.name}" in html
        kind = ("JS" if path.suffix == ".js" else "CSS" if path.suffix == ".css" else "other") + (" (first load)" if initial else " (lazy)")
        raw, gz9, gz1 = len(data), len(gzip.compress(data, 9)), len(gzip.compress(data, 1))
        rows.append((path.name, kind, raw, gz9, gz1))
        t = totals.setdefault(kind, [0, 0, 0])
        t[0] += raw; t[1] += gz9; t[2] += gz1
    print(f"{'file':34} {'kind':20} {'raw':>10} {'gzip -9':>10} {'gzip -1':>10}")
    for name, kind, raw, gz9, gz1 in rows:
        print(f"{name:34} {kind:20} {kb(raw):>10} {kb(gz9):>10} {kb(gz1):>10}")
    for kind, (raw, gz9, gz1) in sorted(totals.items()):
        print(f"{'total':34} {kind:20} {kb(raw):>10} {kb(gz9):>10} {kb(gz1):>10}")


MEASURE = """() => new Promise((resolve) => {
  const done = () => {
    const nav = performance.getEntriesByType("navigation")[0];
    const fcp = performance.getEntriesByName("first-contentful-paint")[0];
    resolve({fcp: fcp ? fcp.startTime : null, load: nav.loadEventEnd, dcl: nav.domContentLoadedEventEnd,
             transferred: performance.getEntriesByType("resource").reduce((s, r) => s + r.transferSize, nav.transferSize)});
  };
  if (document.readyState === "complete") setTimeout(done, 50); else addEventListener("load", () => setTimeout(done, 50));
})"""


def first_loads(gateway: str, runs: int) -> None:
    from playwright.sync_api import sync_playwright

    cold, warm = [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        for _ in range(runs):
            context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
            page = context.new_page()
            cdp = context.new_cdp_session(page)
            cdp.send("Network.enable")
            cdp.send("Network.emulateNetworkConditions", SLOW_4G)
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
            for bucket in (cold, warm):
                page.goto(f"{gateway}/", wait_until="commit")
                page.get_by_role("heading", name="Masuk").wait_for(timeout=60_000)
                form = page.evaluate("performance.now()")
                bucket.append({**page.evaluate(MEASURE), "form": form})
                if bucket is cold:  # let the service worker install before the warm visit
                    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
            context.close()
        browser.close()
    for name, rows in (("cold (first visit)", cold), ("warm (second visit)", warm)):
        med = {k: statistics.median(r[k] for r in rows if r[k] is not None) for k in ("fcp", "dcl", "load", "form", "transferred")}
        spread = {k: (min(r[k] for r in rows), max(r[k] for r in rows)) for k in ("fcp", "form")}
        print(f"{name:20} FCP {med['fcp']:.0f} ms ({spread['fcp'][0]:.0f}-{spread['fcp'][1]:.0f}), "
              f"DOMContentLoaded {med['dcl']:.0f} ms, load {med['load']:.0f} ms, "
              f"sign-in form on screen {med['form']:.0f} ms ({spread['form'][0]:.0f}-{spread['form'][1]:.0f}), "
              f"transferred {kb(med['transferred'])}  [median of {len(rows)}]")


def machine() -> None:
    model = ""
    try:
        model = next(l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name"))
    except (OSError, StopIteration):
        pass
    load = os.getloadavg()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores ({model}), load average "
          f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f}, Python {platform.python_version()}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--gateway", default=os.environ.get("SIPK_GATEWAY", "http://127.0.0.1:8080"))
    args = parser.parse_args()
    machine()
    sizes()
    print(f"\nfirst load at {args.gateway}/ - slow 4G (150 ms RTT, 1.6 Mbit/s), CPU x{CPU_SLOWDOWN}, 390x844:")
    first_loads(args.gateway, args.runs)


if __name__ == "__main__":
    main()
