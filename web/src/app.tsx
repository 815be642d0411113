/** The shell: header, connection banner, the screen of the current route, the navigation. */
import { useEffect, useRef } from "preact/hooks";
import { profile, session } from "./api/session";
import { Icon } from "./components/icons";
import { LinkButton, Notice, PageTitle } from "./components/ui";
import { lang, setLang, t } from "./i18n";
import { watchQueue } from "./lib/attendance";
import { flash } from "./lib/flash";
import { startHeartbeats } from "./lib/heartbeat";
import { online } from "./lib/online";
import { current, match } from "./lib/router";
import { allowed, ROUTES, viewer, type Route } from "./routes";
import { ChangePassword } from "./screens/ChangePassword";
import { About } from "./screens/About";
import { SignIn } from "./screens/SignIn";

function resolve(path: string): { route: Route; params: Record<string, string> } | null {
  for (const route of ROUTES) {
    const params = match(route.path, path);
    if (params) return { route, params };
  }
  return null;
}

function Header() {
  const other = lang.value === "id" ? "en" : "id";
  return (
    <header class="header">
      <div class="header-inner">
        <a class="brand" href="/">Si Pelawan<small>{t("app.owner")}</small></a>
        <button type="button" class="lang" lang={other} aria-label={t("app.switchLangLabel")} onClick={() => setLang(other)}>
          {other === "en" ? "EN" : "ID"}
        </button>
      </div>
    </header>
  );
}

function Nav({ path }: { path: string }) {
  const v = viewer();
  const items = ROUTES.filter((r) => r.nav === "bar" && allowed(r, v));
  const owner = path === "/presensi" ? "/" : items.find((i) => i.path === path)?.path
    ?? items.find((i) => i.path !== "/" && path.startsWith(i.path + "/"))?.path ?? "/menu";
  return (
    <nav class="nav" aria-label={t("nav.main")}>
      <ul>
        {items.map((r) => (
          <li key={r.path}>
            <a href={r.path} aria-current={owner === r.path ? "page" : undefined}>
              {r.icon && <Icon name={r.icon} />}
              <span>{t(r.label ?? r.title)}</span>
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

function NotFound() {
  return (
    <>
      <PageTitle>{t("app.notFound")}</PageTitle>
      <p>{t("app.notFoundBody")}</p>
      <LinkButton href="/">{t("app.toHome")}</LinkButton>
    </>
  );
}

export function App() {
  const s = session.value;
  const loc = current.value;
  const signedIn = s !== null && profile.value !== null;
  const mustChange = signedIn && s!.principal.pcr;
  const found = resolve(loc.path);
  const usable = found && allowed(found.route, viewer()) ? found : null;

  // Background work only for a full session: heartbeats while visible, the offline queue.
  useEffect(() => {
    if (!signedIn || mustChange) return;
    const stopBeats = startHeartbeats();
    const stopQueue = watchQueue();
    return () => { stopBeats(); stopQueue(); };
  }, [signedIn, mustChange, s?.principal.nip]);

  const titleKey = !signedIn ? (loc.path === "/tentang" ? "about.title" : "signin.title") : mustChange ? "pwd.title" : usable ? usable.route.title : "app.notFound";
  useEffect(() => {
    document.title = `${t(titleKey)} · Si Pelawan`;
    document.documentElement.lang = lang.value;
  }, [titleKey, lang.value]);
  // The confirmation belongs to the screen it was shown on.
  useEffect(() => {
    if (flash.peek() && flash.peek()!.path !== loc.path) flash.value = null;
  }, [loc.path]);
  // A new screen (not the first one: a fresh page load starts at the top, skip link first):
  // focus its heading, so screen readers announce it and Tab goes on from there.
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    requestAnimationFrame(() => document.getElementById("page-title")?.focus({ preventScroll: true }));
  }, [loc.path, signedIn, mustChange]);

  let screen;
  if (!signedIn) screen = loc.path === "/tentang" ? <About /> : <SignIn />;
  else if (mustChange) screen = <ChangePassword />;
  else if (usable) {
    const Screen = usable.route.screen;
    screen = <Screen key={loc.path} params={usable.params} />;
  } else screen = <NotFound />;

  const wide = signedIn && !mustChange && !!usable?.route.wide;
  return (
    <div class={wide ? "shell wide" : "shell"}>
      <a class="skip" href="#main" data-external onClick={(e) => { e.preventDefault(); document.getElementById("page-title")?.focus(); }}>{t("app.skip")}</a>
      <Header />
      {!online.value && <div class="banner" role="status"><p>{t("app.offline")}</p></div>}
      {signedIn && !mustChange && <Nav path={loc.path} />}
      <main id="main">
        {signedIn && flash.value?.path === loc.path && <Notice kind={flash.value.ok ? "ok" : "bad"} role={flash.value.ok ? "status" : "alert"}><p>{flash.value.text}</p></Notice>}
        {screen}
      </main>
    </div>
  );
}
