/** The console's start: what each screen is for. */
import { t } from "../i18n";
import { ROUTES } from "../routes";
import { at, Console } from "./common";
import { translator } from "../i18n";

const th = translator({
  "intro": ["Konsol BKPSDM: data pegawai dan unit, kantor dan jadwal, jadwal WFO/WFH, rekap bulanan untuk TPP, dan log audit.",
    "The BKPSDM console: employees and units, offices and schedules, WFO/WFH rosters, the monthly recap for the TPP allowance, and the audit log."],
});

export function AdminHome() {
  const items = ROUTES.filter((r) => r.section === "admin" && r.nav === "menu");
  return (
    <Console title={t("nav.adminSection")}>
      <p>{th("intro")}</p>
      <ul class="menu-list" aria-label={at("consoleNav")}>
        {items.map((r) => <li key={r.path}><a href={r.path}>{t(r.title)}</a></li>)}
      </ul>
    </Console>
  );
}
