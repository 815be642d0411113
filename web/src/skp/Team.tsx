/** The supervisor's SKP screen: each direct subordinate's plan of the year (open it to approve or
 * return it, or to rate and evaluate a period), and the cascade of my approved RHK to theirs. */
import { useState } from "preact/hooks";
import { api, PERFORMANCE } from "../api/client";
import { LoadError, Loading, PageTitle, Select } from "../components/ui";
import { t, translator } from "../i18n";
import { useAsync } from "../lib/useAsync";
import type { TeamStatus } from "../screens/supervisor/Team";
import { StatusTag, thisYear, ts, type Skp } from "./common";

const tt = translator({
  "intro": ["SKP bawahan langsung Anda: setujui atau kembalikan rencana yang diajukan, lalu beri umpan balik, nilai perilaku, dan evaluasi tiap periode.",
    "Your direct subordinates' SKP: approve or return submitted plans, then give feedback, rate behaviour and evaluate each period."],
  "year": ["Tahun", "Year"],
  "plans": ["Rencana bawahan", "Subordinates' plans"],
  "open": ["Buka", "Open"],
  "none": ["Tidak ada bawahan langsung.", "No direct subordinates."],
  "cascade": ["Cascading RHK saya", "My RHK's cascade"],
  "noCascade": ["Anda belum memiliki SKP yang disetujui untuk tahun ini, jadi belum ada RHK untuk diturunkan.", "You have no approved SKP this year yet, so there is nothing to cascade."],
  "noChildren": ["Belum ada RHK bawahan yang mendukung RHK ini.", "No subordinate's RHK supports this one yet."],
  "waiting": ["menunggu persetujuan Anda", "awaiting your approval"],
});

interface Cascade {
  items: { item_id: string; rhk: string; type: string; cascaded_to: { nip: string; name: string | null; skp_id: string; status: string; rhk: string }[] }[];
}

export function TeamSkp() {
  const now = thisYear();
  const [year, setYear] = useState(String(now));
  const data = useAsync(async () => {
    const [team, cascade] = await Promise.all([
      api<TeamStatus>(`${PERFORMANCE}/team/status`),
      api<Cascade>(`${PERFORMANCE}/skp/cascade?year=${year}`),
    ]);
    const plans = await Promise.all(team.items.map((m) => api<{ items: Skp[] }>(`${PERFORMANCE}/skp?year=${year}&nip=${m.nip}`)
      .then((r) => r.items[0] ?? null).catch(() => null)));
    return { members: team.items.map((m, i) => ({ nip: m.nip, name: m.name, skp: plans[i] })), cascade };
  }, [year]);
  return (
    <>
      <PageTitle>{t("nav.skpTeam")}</PageTitle>
      <p>{tt("intro")}</p>
      <Select id="year" label={tt("year")} value={year} onValue={setYear}
        options={[now - 1, now, now + 1].map((y) => ({ value: String(y), label: String(y) }))} />
      {data.error ? <LoadError error={data.error} retry={data.reload} /> : !data.data ? <Loading /> : (
        <>
          <h2>{tt("plans")}</h2>
          {!data.data.members.length ? <p>{tt("none")}</p> : (
            <ul class="cards">
              {data.data.members.map((m) => (
                <li class="card" key={m.nip} data-testid="team-skp" data-nip={m.nip}>
                  <h3>{m.skp ? <a href={`/skp/${m.skp.id}`}>{m.name ?? m.nip}</a> : m.name ?? m.nip}</h3>
                  <p class="meta"><StatusTag status={m.skp?.status} />{m.skp?.status === "submitted" && <strong>{tt("waiting")}</strong>}</p>
                </li>
              ))}
            </ul>
          )}
          <h2>{tt("cascade")}</h2>
          {!data.data.cascade.items.length ? <p class="muted">{tt("noCascade")}</p> : data.data.cascade.items.map((item) => (
            <section class="rhk" key={item.item_id}>
              <h3>{item.rhk} <span class="muted small">({ts(item.type === "tambahan" ? "type.tambahan" : "type.utama")})</span></h3>
              {!item.cascaded_to.length ? <p class="muted">{tt("noChildren")}</p> : (
                <ul>{item.cascaded_to.map((c) => <li key={`${c.nip}-${c.rhk}`}><a href={`/skp/${c.skp_id}`}>{c.name ?? c.nip}</a>: {c.rhk} <StatusTag status={c.status} /></li>)}</ul>
              )}
            </section>
          ))}
        </>
      )}
    </>
  );
}
