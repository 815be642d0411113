/** The supervisor's decisions on trust: a flagged check-in (reasons, evidence, the selfie), a new device,
 * an attendance correction (with its photo). One item per screen, decided with a note. */
import { useEffect, useState } from "preact/hooks";
import { api, fetchBlob, PRESENCE } from "../api/client";
import { failureFrom } from "../api/failure";
import { LoadError, Loading, PageTitle, Summary } from "../components/ui";
import { lang, t } from "../i18n";
import { flagList } from "../lib/errors";
import { addDays, clockWithZone, DEFAULT_ZONE, longDate, todayIn } from "../lib/time";
import { useAsync } from "../lib/useAsync";
import { DecisionForm } from "../screens/supervisor/Decisions";
import { CorrectionState, correctionLine, type CorrectionRequest } from "./Corrections";
import { DeviceState, when, type Device } from "./Devices";
import { evidenceLines, tt, type Evidence } from "./texts";

export interface Flagged {
  id: string;
  nip: string;
  name: string | null;
  date: string;
  mode: string | null;
  checked_in_at: string | null;
  checked_out_at: string | null;
  flags: string[];
  check_out_flags: string[];
  evidence: { check_in: Evidence; check_out: Evidence };
  review: string | null;
  has_selfie: boolean;
}

export function flaggedPath(): string {
  const now = todayIn(DEFAULT_ZONE);
  return `${PRESENCE}/team/flagged?status=pending&from=${addDays(now, -31)}&to=${now}&page_size=200`;
}

/** A protected image (selfie, photo evidence) as an object URL; gone when the screen closes. */
function Photo({ path, alt }: { path: string; alt: string }) {
  const [url, setUrl] = useState<string | null>(null);
  const [problem, setProblem] = useState(false);
  useEffect(() => {
    let made: string | null = null;
    fetchBlob(path).then((blob) => { made = URL.createObjectURL(blob); setUrl(made); }, () => setProblem(true));
    return () => { if (made) URL.revokeObjectURL(made); };
  }, [path]);
  if (problem) return <p class="muted">—</p>;
  if (!url) return <Loading />;
  return <img class="evidence-photo" src={url} alt={alt} data-testid="evidence-photo" />;
}

function Lines({ lines }: { lines: string[] }) {
  return lines.length ? <ul class="evidence">{lines.map((l) => <li key={l}>{l}</li>)}</ul> : <>—</>;
}

export function FlaggedDecision({ params }: { params: Record<string, string> }) {
  const { data, error, reload } = useAsync(async () => {
    const page = await api<{ items: Flagged[] }>(flaggedPath());
    const found = page.items.find((f) => f.id === params.id);
    if (!found) throw failureFrom(404, { error: "not_found" });
    return found;
  }, [params.id]);
  const L = lang.value;
  const tz = DEFAULT_ZONE;
  return (
    <>
      <PageTitle>{tt("rev.flagged")}</PageTitle>
      {error ? <LoadError error={error} retry={reload} /> : !data ? <Loading /> : (
        <>
          <h2>{data.name ?? data.nip} — {longDate(data.date, L)}</h2>
          <Summary rows={[
            [tt("rev.reasons"), flagList([...new Set([...data.flags, ...data.check_out_flags])])],
            ...(data.checked_in_at ? [[t("hist.dayIn", { time: "" }).trim(), clockWithZone(data.checked_in_at, tz, L)]] as [string, string][] : []),
            ...(data.flags.length ? [[tt("rev.onIn"), <Lines lines={evidenceLines(data.evidence.check_in, tz, L)} />]] as [string, preact.ComponentChildren][] : []),
            ...(data.checked_out_at ? [[t("hist.dayOut", { time: "" }).trim(), clockWithZone(data.checked_out_at, tz, L)]] as [string, string][] : []),
            ...(data.check_out_flags.length ? [[tt("rev.onOut"), <Lines lines={evidenceLines(data.evidence.check_out, tz, L)} />]] as [string, preact.ComponentChildren][] : []),
          ]} />
          {data.has_selfie && (
            <section aria-labelledby="selfie-h">
              <h3 id="selfie-h">{tt("rev.selfie")}</h3>
              <Photo path={`${PRESENCE}/check-ins/${encodeURIComponent(data.id)}/selfie`} alt={tt("rev.selfieAlt", { name: data.name ?? data.nip })} />
            </section>
          )}
          <DecisionForm approveLabel={tt("rev.accept")} rejectLabel={tt("rev.reject")} noteRequiredOnReject
            decide={(accepted, note) => api(`${PRESENCE}/check-ins/${encodeURIComponent(data.id)}/review`, { method: "POST", json: { accepted, note } })} />
        </>
      )}
    </>
  );
}

export function DeviceDecision({ params }: { params: Record<string, string> }) {
  const { data, error, reload } = useAsync(async () => {
    const page = await api<{ items: Device[] }>(`${PRESENCE}/team/devices?status=pending`);
    const found = page.items.find((d) => d.id === params.id);
    if (!found) throw failureFrom(404, { error: "not_found" });
    return found;
  }, [params.id]);
  return (
    <>
      <PageTitle>{tt("rev.devices")}</PageTitle>
      {error ? <LoadError error={error} retry={reload} /> : !data ? <Loading /> : (
        <>
          <Summary rows={[
            [t("assign.assignee"), data.name ?? data.nip],
            [tt("dev.code"), `${data.label ?? "—"} · ${data.fingerprint ?? "—"}`],
            [t("home.status"), <DeviceState state={data.state} />],
            [tt("dev.firstSeen"), when(data.first_seen_at)],
          ]} />
          <DecisionForm approveLabel={tt("rev.approveDevice")} rejectLabel={tt("rev.rejectDevice")}
            decide={(approved, note) => api(`${PRESENCE}/devices/${encodeURIComponent(data.id)}/decision`, { method: "POST", json: { approved, note } })} />
        </>
      )}
    </>
  );
}

export function CorrectionDecision({ params }: { params: Record<string, string> }) {
  const { data, error, reload } = useAsync(async () => {
    const page = await api<{ items: CorrectionRequest[] }>(`${PRESENCE}/team/corrections?status=pending`);
    const found = page.items.find((c) => c.id === params.id);
    if (!found) throw failureFrom(404, { error: "not_found" });
    return found;
  }, [params.id]);
  const L = lang.value;
  return (
    <>
      <PageTitle>{tt("rev.corrections")}</PageTitle>
      {error ? <LoadError error={error} retry={reload} /> : !data ? <Loading /> : (
        <>
          <Summary rows={[
            [t("assign.assignee"), data.name ?? data.nip],
            [tt("corr.date"), longDate(data.date, L)],
            [tt("corr.kind"), correctionLine(data)],
            [tt("corr.reason"), data.reason],
            [t("home.status"), <CorrectionState state={data.state} />],
          ]} />
          {data.has_photo && (
            <section aria-labelledby="photo-h">
              <h3 id="photo-h">{tt("rev.photo")}</h3>
              <Photo path={`${PRESENCE}/corrections/${encodeURIComponent(data.id)}/photo`} alt={tt("rev.photoAlt", { name: data.name ?? data.nip })} />
            </section>
          )}
          <DecisionForm approveLabel={tt("rev.approveCorrection")} rejectLabel={tt("rev.rejectCorrection")}
            decide={(approved, note) => api(`${PRESENCE}/corrections/${encodeURIComponent(data.id)}/decision`, { method: "POST", json: { approved, note } })} />
        </>
      )}
    </>
  );
}
