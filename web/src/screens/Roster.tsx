import { api, PRESENCE } from "../api/client";
import { LoadError, Loading, PageTitle, Tag } from "../components/ui";
import { lang, t } from "../i18n";
import { longDate } from "../lib/time";
import { useAsync } from "../lib/useAsync";

interface MyRoster { from: string; to: string; items: { date: string; mode: string }[] }

export function Roster() {
  const { data, error, loading, reload } = useAsync(() => api<MyRoster>(`${PRESENCE}/me/roster`));
  const L = lang.value;
  const days = [...(data?.items ?? [])].sort((a, b) => a.date.localeCompare(b.date));
  return (
    <>
      <PageTitle>{t("roster.title")}</PageTitle>
      <p>{t("roster.intro")}</p>
      {error ? <LoadError error={error} retry={reload} /> : loading ? <Loading /> : !days.length ? <p>{t("roster.none")}</p> : (
        <table class="table">
          <thead><tr><th scope="col">{t("roster.date")}</th><th scope="col">{t("roster.mode")}</th></tr></thead>
          <tbody>
            {days.map((d) => (
              <tr key={d.date}>
                <td>{longDate(d.date, L)}</td>
                <td><Tag colour={d.mode === "WFH" ? "purple" : "green"}>{d.mode}</Tag></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
