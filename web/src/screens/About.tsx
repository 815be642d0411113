import { PageTitle } from "../components/ui";
import { t } from "../i18n";

export function About() {
  return (
    <>
      <PageTitle>{t("about.title")}</PageTitle>
      <p>{t("about.body")}</p>
      <p>{t("about.privacy")}</p>
      <p>{t("about.install")}</p>
      <h2>{t("about.api")}</h2>
      <ul class="menu-list">
        <li><a href="/api/identity/docs" data-external>{t("about.identity")}</a></li>
        <li><a href="/api/presence/docs" data-external>{t("about.presence")}</a></li>
        <li><a href="/api/performance/docs" data-external>{t("about.performance")}</a></li>
      </ul>
      <p class="footer">{t("app.owner")}</p>
    </>
  );
}
