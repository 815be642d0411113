/** Register where I work from home; my supervisor approves it before WFH check-ins are fenced to it. */
import { useEffect, useState } from "preact/hooks";
import { api, PRESENCE } from "../api/client";
import { ApiFailure } from "../api/failure";
import { Button, ErrorSummary, LoadError, Loading, Notice, PageTitle, Summary, Tag } from "../components/ui";
import { metres, t, type MessageKey } from "../i18n";
import { loadToday, today, type HomeLocation } from "../lib/attendance";
import { errorText } from "../lib/errors";
import { distanceM } from "../lib/geo";
import { currentPosition, NoFix, type Fix } from "../lib/geolocation";
import { stateColour } from "../lib/status";
import { useAsync } from "../lib/useAsync";

const PROBLEM: Record<string, MessageKey> = { denied: "ci.denied", timeout: "ci.timeout", unsupported: "ci.unsupported", unavailable: "ci.unavailable" };

export function HomeLocationScreen() {
  const mine = useAsync(() => api<HomeLocation>(`${PRESENCE}/me/home-location`).catch((err) => {
    if (err instanceof ApiFailure && err.status === 404) return null;
    throw err;
  }));
  const [fix, setFix] = useState<Fix | null>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [sent, setSent] = useState(false);
  useEffect(() => { if (!today.value) loadToday().catch(() => undefined); }, []);
  const office = today.value?.office;

  async function locate() {
    setProblem(null);
    setBusy(true);
    try {
      setFix(await currentPosition());
    } catch (err) {
      setProblem(t(PROBLEM[err instanceof NoFix ? err.problem : "unavailable"]));
    } finally {
      setBusy(false);
    }
  }

  async function send() {
    if (!fix) return;
    setBusy(true);
    setProblem(null);
    try {
      await api(`${PRESENCE}/me/home-location`, { method: "PUT", json: { latitude: fix.latitude, longitude: fix.longitude } });
      setFix(null);
      setSent(true);
      mine.reload();
    } catch (err) {
      setProblem(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  const current = mine.data;
  const fromOffice = (p: { latitude: number; longitude: number }) => office ? t("homeLoc.distanceOffice", { d: metres(distanceM(office, p)) }) : "";
  return (
    <>
      <PageTitle>{t("homeLoc.title")}</PageTitle>
      {problem && <ErrorSummary items={[{ text: problem }]} />}
      {sent && <Notice kind="ok" role="status"><p>{t("homeLoc.sent")}</p></Notice>}
      <p>{t("homeLoc.intro", { r: metres(office?.home_radius_m ?? 100) })}</p>
      {mine.error ? <LoadError error={mine.error} retry={mine.reload} /> : mine.loading && mine.data === undefined ? <Loading /> : current ? (
        <Summary rows={[
          [t("home.status"), <Tag colour={stateColour(current.status)}>{t(`state.${current.status}` as MessageKey)}</Tag>],
          [t("homeLoc.current"), <>{current.latitude.toFixed(5)}, {current.longitude.toFixed(5)}{office && <><br />{fromOffice(current)}</>}</>],
          ...(current.note ? [[t("inbox.note"), current.note]] as [string, string][] : []),
        ]} />
      ) : <p>{t("homeLoc.none")}</p>}
      {fix ? (
        <>
          <p class="lead">{t("homeLoc.position", { lat: fix.latitude.toFixed(5), lon: fix.longitude.toFixed(5), a: metres(fix.accuracy) })}
            {office && <> · {fromOffice(fix)}</>}</p>
          {current && <p class="inset">{t("homeLoc.replaceWarn")}</p>}
          <Button disabled={busy} onClick={send}>{busy ? t("form.saving") : t("homeLoc.send")}</Button>
          <Button variant="secondary" disabled={busy} onClick={locate}>{t("ci.relocate")}</Button>
        </>
      ) : <Button disabled={busy} onClick={locate}>{busy ? t("ci.locating") : t("homeLoc.use")}</Button>}
    </>
  );
}
