/** The team board: each direct subordinate's state, mode and clock-in, live over the SSE stream. */
import { useEffect, useState } from "preact/hooks";
import { currentToken, PERFORMANCE } from "../../api/client";
import { failureFrom } from "../../api/failure";
import { LoadError, Loading, PageTitle, Tag } from "../../components/ui";
import { lang, t, type MessageKey } from "../../i18n";
import { loadToday, today } from "../../lib/attendance";
import { openStream, type StreamState } from "../../lib/sse";
import { stateColour } from "../../lib/status";
import { clockWithZone, DEFAULT_ZONE } from "../../lib/time";

export interface Member {
  nip: string;
  name: string | null;
  state: "online" | "away" | "offline";
  last_seen_at: string | null;
  presence: { date: string; mode: string | null; checked_in_at: string | null; checked_out_at: string | null; late_minutes: number | null } | null;
  open_tasks: number;
}
export interface TeamStatus { items: Member[]; total: number; generated_at: string }

export function Team() {
  const [team, setTeam] = useState<TeamStatus | null>(null);
  const [state, setState] = useState<StreamState>("connecting");
  const [refusal, setRefusal] = useState<unknown>(null);
  useEffect(() => { if (!today.value) loadToday().catch(() => undefined); }, []);
  useEffect(() => openStream({
    url: `${PERFORMANCE}/team/status/stream`,
    token: currentToken,
    onEvent: (ev) => {
      if (ev.event !== "status") return;
      try {
        setTeam(JSON.parse(ev.data));
        setRefusal(null);
      } catch { /* a torn event: the next one repairs it */ }
    },
    onState: setState,
    onRefused: (status, body) => setRefusal(failureFrom(status, body)),
  }), []);

  const L = lang.value;
  const tz = today.value?.office?.timezone ?? DEFAULT_ZONE;
  const items = team?.items ?? [];
  const checkedIn = items.filter((m) => m.presence?.checked_in_at).length;
  return (
    <>
      <PageTitle>{t("team.title")}</PageTitle>
      <p class="small" role="status" data-testid="stream-state">
        <span class={`live-dot${state === "live" ? " on" : ""}`} aria-hidden="true" />
        {state === "live" ? t("team.live") : state === "connecting" ? t("team.connecting") : t("team.reconnecting")}
      </p>
      {refusal ? <LoadError error={refusal} /> : null}
      {!team ? <Loading /> : !items.length ? <p>{t("team.none")}</p> : (
        <>
          <p class="lead">{t("team.summary", { n: checkedIn, m: items.length })}</p>
          <ul class="cards" aria-live="polite">
            {items.map((m) => (
              <li class={`card ${m.state}`} key={m.nip} data-testid="member" data-nip={m.nip}>
                <h2>{m.name ?? m.nip}</h2>
                <p class="meta">
                  <Tag colour={stateColour(m.state)}>{t(`state.${m.state}` as MessageKey)}</Tag>
                  {m.presence?.mode && <Tag colour="grey">{m.presence.mode}</Tag>}
                  {m.presence?.checked_in_at ? <span data-testid="checked-in">{t("team.in", { time: clockWithZone(m.presence.checked_in_at, tz, L) })}</span>
                    : <span>{t("team.notIn")}</span>}
                  {(m.presence?.late_minutes ?? 0) > 0 && <Tag colour="orange">{t("home.late", { n: m.presence!.late_minutes! })}</Tag>}
                  {m.presence?.checked_out_at && <span>{t("team.out", { time: clockWithZone(m.presence.checked_out_at, tz, L) })}</span>}
                </p>
                <p class="small muted">
                  {t("team.openTasks", { n: m.open_tasks })}
                  {m.state !== "online" && m.last_seen_at && <> · {t("team.lastSeen", { time: clockWithZone(m.last_seen_at, tz, L) })}</>}
                </p>
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}
