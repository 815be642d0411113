/** Everything the role may open, from the route table, grouped by section. */
import { signOut } from "../api/client";
import { profile, session } from "../api/session";
import { PageTitle } from "../components/ui";
import { t, type MessageKey } from "../i18n";
import { queue } from "../lib/attendance";
import { navigate } from "../lib/router";
import { allowed, ROUTES, viewer } from "../routes";

const SECTIONS: { id: "staff" | "supervisor" | "admin"; title: MessageKey }[] = [
  { id: "staff", title: "nav.staffSection" },
  { id: "supervisor", title: "nav.supervisorSection" },
];

export function Menu() {
  const v = viewer();
  async function leave() {
    const nip = session.value?.principal.nip;
    await signOut();
    if (nip) queue.clear(nip);
    navigate("/", { replace: true });
  }
  return (
    <>
      <PageTitle>{t("nav.menu")}</PageTitle>
      <p class="muted">{t("nav.signedInAs", { name: profile.value?.name ?? "" })}</p>
      {SECTIONS.map((section) => {
        const items = ROUTES.filter((r) => r.nav === "menu" && r.section === section.id && allowed(r, v));
        if (!items.length) return null;
        return (
          <section key={section.id} aria-labelledby={`menu-${section.id}`}>
            <h2 id={`menu-${section.id}`}>{t(section.title)}</h2>
            <ul class="menu-list">
              {items.map((r) => <li key={r.path}><a href={r.path}>{t(r.title)}</a></li>)}
            </ul>
          </section>
        );
      })}
      <ul class="menu-list">
        <li><button type="button" onClick={leave}>{t("nav.signOut")}</button></li>
      </ul>
    </>
  );
}
