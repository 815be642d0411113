/** Clock in or out: my position first, the distance and the fence before sending, then the
 * server's own answer. Without a connection the attempt is kept, never reported as done. */
import { useEffect, useState } from "preact/hooks";
import { api, PRESENCE } from "../api/client";
import { ApiFailure } from "../api/failure";
import { session } from "../api/session";
import { FenceDrawing } from "../components/FenceDrawing";
import { Button, ErrorSummary, LinkButton, Loading, Notice, PageTitle, Panel } from "../components/ui";
import { lang, metres, t } from "../i18n";
import { loadToday, queue, sendAttempt, today, type HomeLocation, type Today } from "../lib/attendance";
import { errorText } from "../lib/errors";
import { fenceVerdict, type Point } from "../lib/geo";
import { currentPosition, NoFix, type Fix } from "../lib/geolocation";
import { newIdempotencyKey, type AttemptKind } from "../lib/offlineQueue";
import { current } from "../lib/router";
import { clockWithZone, DEFAULT_ZONE } from "../lib/time";
import { deviceId } from "../lib/device";
import { flagList } from "../lib/errors";
import { photoBase64 } from "../lib/photo";

/** A fix older than this when the button is pressed is taken again first: the server flags a position
 * that was old when the attempt was made (docs/trust.md). */
const FRESH_FIX_MS = 60_000;

type Phase =
  | { name: "locating" }
  | { name: "nofix"; problem: string }
  | { name: "fix" }
  | { name: "sending" }
  | { name: "done"; answer: Record<string, unknown>; replayed: boolean }
  | { name: "refused"; text: string }
  | { name: "queued" };

interface Target {
  centre: Point | null;
  radiusM: number;
  place: string;
  note?: string;
}

function targetFor(day: Today, kind: AttemptKind, mode: string, home: HomeLocation | null): Target {
  const office = day.office!;
  const officeTarget = { centre: { latitude: office.latitude, longitude: office.longitude }, radiusM: office.radius_m, place: office.name };
  if (mode === "DL") return { centre: null, radiusM: 0, place: office.name, note: t("ci.dl") };
  if (mode === "WFH") {
    if (kind === "check-out") return { centre: null, radiusM: 0, place: t("ci.homePlace") };
    if (home?.status === "approved") {
      return { centre: { latitude: home.latitude, longitude: home.longitude }, radiusM: office.home_radius_m, place: t("ci.homePlace") };
    }
    return { centre: null, radiusM: 0, place: t("ci.homePlace"), note: t("ci.homeUnapproved") };
  }
  return officeTarget;
}

export function CheckIn() {
  const kind: AttemptKind = current.value.query.get("aksi") === "pulang" ? "check-out" : "check-in";
  const [phase, setPhase] = useState<Phase>({ name: "locating" });
  const [fix, setFix] = useState<Fix | null>(null);
  const [home, setHome] = useState<HomeLocation | null | undefined>(undefined);
  const [selfie, setSelfie] = useState<{ data: string | null; problem: string | null }>({ data: null, problem: null });
  const day = today.value;

  const mode = kind === "check-out" ? (day?.check_in?.mode ?? "WFO")
    : day?.leave_type === "dinas_luar" ? "DL" : (day?.roster_mode ?? "WFO");

  useEffect(() => {
    if (!today.value) loadToday().catch(() => undefined);
  }, []);
  useEffect(() => {
    if (mode !== "WFH" || kind === "check-out") { setHome(null); return; }
    api<HomeLocation>(`${PRESENCE}/me/home-location`).then(setHome, () => setHome(null));
  }, [mode, kind]);

  async function locate() {
    setPhase({ name: "locating" });
    try {
      setFix(await currentPosition());
      setPhase({ name: "fix" });
    } catch (err) {
      setPhase({ name: "nofix", problem: err instanceof NoFix ? err.problem : "unavailable" });
    }
  }
  useEffect(() => { locate(); }, []);

  const tz = day?.office?.timezone ?? DEFAULT_ZONE;
  const title = t(kind === "check-in" ? "ci.titleIn" : "ci.titleOut");

  const selfieMode = kind === "check-in" ? (day?.office?.selfie ?? "off") : "off";

  async function takeSelfie(file: File | undefined) {
    if (!file) return;
    try {
      setSelfie({ data: await photoBase64(file), problem: null });
    } catch {
      setSelfie({ data: null, problem: t("ci.selfieBad") });
    }
  }

  async function send() {
    if (!fix || !day) return;
    if (selfieMode === "required" && !selfie.data) {
      setSelfie({ ...selfie, problem: t("ci.selfieMissing") });
      return;
    }
    let used = fix;
    if (Date.now() - fix.timestamp > FRESH_FIX_MS) {  // the screen stayed open: take the position again
      setPhase({ name: "locating" });
      try {
        used = await currentPosition();
        setFix(used);
      } catch (err) {
        setPhase({ name: "nofix", problem: err instanceof NoFix ? err.problem : "unavailable" });
        return;
      }
    }
    // The trust fields (docs/trust.md): this device's id, the fix's own time and the time of this attempt,
    // which an offline retry sends unchanged.
    const body = { latitude: used.latitude, longitude: used.longitude, accuracy_m: Math.round(used.accuracy * 10) / 10,
      ...(kind === "check-in" ? { mode } : {}), device_id: deviceId(),
      position_timestamp: new Date(used.timestamp).toISOString(), attempted_at: new Date().toISOString(),
      ...(selfie.data && selfieMode !== "off" ? { selfie: selfie.data } : {}) };
    const attempt = { key: newIdempotencyKey(), kind, nip: session.value!.principal.nip, body, createdAt: new Date().toISOString() };
    setPhase({ name: "sending" });
    try {
      const answer = await sendAttempt(attempt);
      setPhase({ name: "done", answer, replayed: false });
      loadToday().catch(() => undefined);
    } catch (err) {
      if (err instanceof ApiFailure && err.network) {
        queue.add(attempt);
        setPhase({ name: "queued" });
      } else {
        setPhase({ name: "refused", text: errorText(err, { officeName: day.office?.name, timezone: tz }) });
      }
    }
  }

  if (!day || (mode === "WFH" && home === undefined)) {
    return <><PageTitle>{title}</PageTitle><Loading /></>;
  }
  if (!day.office) {
    return <><PageTitle>{title}</PageTitle><Notice kind="bad"><p>{t("home.noOffice")}</p></Notice><LinkButton variant="secondary" href="/">{t("ci.backHome")}</LinkButton></>;
  }

  if (phase.name === "done") {
    const at = String(phase.answer[kind === "check-in" ? "checked_in_at" : "checked_out_at"] ?? "");
    const late = Number(phase.answer.late_minutes ?? 0);
    const early = Number(phase.answer.early_leave_minutes ?? 0);
    const flags = Array.isArray(phase.answer.flags) ? phase.answer.flags.map(String) : [];
    return (
      <>
        <PageTitle>{title}</PageTitle>
        <Panel title={t(kind === "check-in" ? "ci.doneIn" : "ci.doneOut")}>
          <p data-testid="recorded-at">{t("ci.at", { time: clockWithZone(at, tz, lang.value) })}</p>
        </Panel>
        {flags.length > 0 && <Notice role="status"><p data-testid="trust-review">{t("trust.pending", { reasons: flagList(flags) })}</p></Notice>}
        <p class="lead">{kind === "check-in" ? (late > 0 ? t("home.late", { n: late }) : t("home.onTime"))
          : early > 0 ? t("home.early", { n: early }) : ""}</p>
        <LinkButton href="/">{t("ci.backHome")}</LinkButton>
      </>
    );
  }
  if (phase.name === "queued") {
    return (
      <>
        <PageTitle>{title}</PageTitle>
        <ErrorSummary title={t("ci.offlineTitle")} items={[{ text: t("ci.offline") }]} />
        <LinkButton href="/">{t("ci.backHome")}</LinkButton>
      </>
    );
  }

  const target = targetFor(day, kind, mode, home ?? null);
  const verdict = fix && target.centre ? fenceVerdict(target.centre, target.radiusM, fix) : null;
  const maxAccuracy = day.office.max_accuracy_m;
  const problemKey = phase.name === "nofix" ? ({ denied: "ci.denied", timeout: "ci.timeout", unsupported: "ci.unsupported" } as const)[phase.problem as "denied"] ?? "ci.unavailable" : null;

  return (
    <>
      <PageTitle>{title}</PageTitle>
      {phase.name === "refused" && (
        <ErrorSummary title={t("ci.refused")} items={[{ text: phase.text }, { text: t("ci.nothingStored") }]} />
      )}
      {phase.name === "locating" && <p role="status" class="lead">{t("ci.locating")}</p>}
      {problemKey && <ErrorSummary items={[{ text: t(problemKey) }]} />}
      {fix && (
        <section aria-labelledby="where">
          <h2 id="where" class="visually-hidden">{t("ci.distanceTo", { place: target.place })}</h2>
          {target.note && <p class="inset">{target.note}{mode === "WFH" && kind === "check-in" && home?.status !== "approved" && (
            <> <a href="/lokasi-rumah">{t("nav.homeLocation")}</a></>)}</p>}
          <div class="figures">
            {verdict && <div class="figure" data-testid="distance"><span>{t("ci.distanceTo", { place: target.place })}</span><strong>{metres(verdict.distanceM)} m</strong></div>}
            {verdict && <div class="figure"><span>{t("ci.radius")}</span><strong>{metres(verdict.radiusM)} m</strong></div>}
            <div class={`figure${verdict ? " wide" : ""}`}><span>{t("ci.accuracy")}</span><strong>± {metres(fix.accuracy)} m</strong></div>
          </div>
          {verdict && target.centre && (
            <FenceDrawing centre={target.centre} radiusM={target.radiusM} me={fix} accuracyM={fix.accuracy} place={target.place} />
          )}
          {fix.accuracy > maxAccuracy && <p class="warning-text">{t("ci.lowAccuracy", { a: metres(fix.accuracy), max: metres(maxAccuracy) })}</p>}
          {verdict && (verdict.inside
            ? <p class="notice ok" data-testid="verdict"><strong>{t("ci.inside")}</strong></p>
            : <><p class="warning-text" data-testid="verdict">{t("ci.outside", { beyond: metres(verdict.beyondM) })}</p><p class="muted">{t("ci.outsideHint")}</p></>)}
        </section>
      )}
      {fix && selfieMode !== "off" && (
        <section aria-labelledby="selfie-title" class="inset">
          <h2 id="selfie-title">{t("ci.selfie")}</h2>
          <p>{t(selfieMode === "required" ? "ci.selfieRequired" : "ci.selfieOptional")}</p>
          {selfie.problem && <p class="warning-text" id="selfie-error">{selfie.problem}</p>}
          {selfie.data && <p class="notice ok" data-testid="selfie-ready">{t("ci.selfieReady")}</p>}
          <label class="button secondary" for="selfie">{t("ci.selfieTake")}</label>
          <input id="selfie" class="visually-hidden" type="file" accept="image/jpeg,image/png" capture="user"
            onChange={(e) => takeSelfie((e.currentTarget as HTMLInputElement).files?.[0])} />
        </section>
      )}
      {fix && phase.name !== "locating" && (
        <Button big disabled={phase.name === "sending"} onClick={send}>
          {phase.name === "sending" ? t("ci.sending") : t(kind === "check-in" ? "ci.sendIn" : "ci.sendOut")}
        </Button>
      )}
      {phase.name !== "locating" && phase.name !== "sending" && <Button variant="secondary" onClick={locate}>{t("ci.relocate")}</Button>}
      <p><a href="/">{t("ci.cancel")}</a></p>
    </>
  );
}
