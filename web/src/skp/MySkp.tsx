/** My SKP: the plan of a year (open it, or start drafting it). */
import { useState } from "preact/hooks";
import { api, PERFORMANCE } from "../api/client";
import { LinkButton, LoadError, Loading, PageTitle, Select } from "../components/ui";
import { t, translator } from "../i18n";
import { useAsync } from "../lib/useAsync";
import { StatusTag, thisYear, ts, type Skp } from "./common";

const tm = translator({
  "intro": ["Sasaran Kinerja Pegawai: rencana hasil kerja setahun, realisasinya tiap periode, dan evaluasi oleh atasan langsung.",
    "Sasaran Kinerja Pegawai: the year's planned work results, their realisation each period, and the evaluation by the direct supervisor."],
  "year": ["Tahun", "Year"],
  "none": ["Anda belum menyusun SKP untuk tahun {year}.", "You have not drafted an SKP for {year} yet."],
  "draft": ["Susun SKP {year}", "Draft the SKP for {year}"],
  "open": ["Buka SKP {year}", "Open the SKP for {year}"],
  "items": ["{n} RHK · revisi {revision}", "{n} RHK · revision {revision}"],
});

export function MySkp() {
  const now = thisYear();
  const [year, setYear] = useState(String(now));
  const list = useAsync(() => api<{ items: Skp[] }>(`${PERFORMANCE}/skp?year=${year}`), [year]);
  const skp = list.data?.items[0];
  return (
    <>
      <PageTitle>{t("nav.skp")}</PageTitle>
      <p>{tm("intro")}</p>
      <Select id="year" label={tm("year")} value={year} onValue={setYear}
        options={[now - 1, now, now + 1].map((y) => ({ value: String(y), label: String(y) }))} />
      {list.error ? <LoadError error={list.error} retry={list.reload} /> : !list.data ? <Loading /> : !skp ? (
        <>
          <p>{tm("none", { year })}</p>
          <LinkButton href={`/skp/baru?year=${year}`}>{tm("draft", { year })}</LinkButton>
        </>
      ) : (
        <div class="card" data-testid="my-skp">
          <h2><a href={`/skp/${skp.id}`}>{tm("open", { year })}</a></h2>
          <p class="meta"><StatusTag status={skp.status} /> <span>{tm("items", { n: (skp.approved?.items ?? skp.items).length, revision: skp.revision })}</span></p>
          {skp.status === "approved" && <p><a href={`/skp/${skp.id}/dokumen`}>{ts("document")}</a></p>}
        </div>
      )}
    </>
  );
}
