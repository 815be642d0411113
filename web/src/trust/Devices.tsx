/** My devices: which one is bound, which wait for my supervisor, and which one is this phone. */
import { useEffect, useState } from "preact/hooks";
import { api, PRESENCE } from "../api/client";
import { Button, LoadError, Loading, Notice, PageTitle, Summary, Tag } from "../components/ui";
import { lang, t } from "../i18n";
import { errorText } from "../lib/errors";
import { deviceFingerprint } from "../lib/device";
import { clockWithZone, DEFAULT_ZONE, shortDate } from "../lib/time";
import { useAsync } from "../lib/useAsync";
import { tt, type TT } from "./texts";
import type { Colour } from "../lib/status";

export interface Device {
  id: string;
  nip: string;
  name?: string | null;
  fingerprint: string | null;
  label: string | null;
  state: "bound" | "pending" | "rejected" | "replaced" | "unbound";
  first_seen_at?: string | null;
  last_seen_at?: string | null;
  note?: string | null;
}

const COLOURS: Record<string, Colour> = { bound: "green", pending: "blue", rejected: "red", replaced: "grey", unbound: "grey" };

export function DeviceState({ state }: { state: string }) {
  return <Tag colour={COLOURS[state] ?? "grey"}>{tt(`dev.state.${state}` as TT)}</Tag>;
}

export function when(at: string | null | undefined): string {
  if (!at) return "—";
  const L = lang.value;
  return `${shortDate(at.slice(0, 10), L)} ${clockWithZone(at, DEFAULT_ZONE, L)}`;
}

export function MyDevices() {
  const { data, error, loading, reload } = useAsync(() => api<{ items: Device[] }>(`${PRESENCE}/me/devices`));
  const [mine, setMine] = useState<string | null>(null);
  useEffect(() => { deviceFingerprint().then(setMine, () => setMine(null)); }, []);
  return (
    <>
      <PageTitle>{tt("dev.title")}</PageTitle>
      <p>{tt("dev.intro")}</p>
      {error ? <LoadError error={error} retry={reload} /> : loading && !data ? <Loading /> : !data?.items.length ? <p>{tt("dev.none")}</p> : (
        <ul class="cards">
          {data.items.map((d) => (
            <li class="card" key={d.id} data-testid="device-item">
              <h2>{d.label ?? "—"}{mine && d.fingerprint === mine && <> · <Tag colour="purple">{tt("dev.this")}</Tag></>}</h2>
              <p class="meta"><DeviceState state={d.state} /></p>
              <Summary rows={[
                [tt("dev.code"), d.fingerprint ?? "—"],
                [tt("dev.firstSeen"), when(d.first_seen_at)],
                [tt("dev.lastSeen"), when(d.last_seen_at)],
              ]} />
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

/** The HR console's view of one employee's devices, with the admin's unbind (a lost phone: the next device
 * the employee uses is bound on first use). */
export function EmployeeDevices({ nip }: { nip: string }) {
  const devices = useAsync(() => api<{ items: Device[] }>(`${PRESENCE}/team/devices?nip=${nip}`), [nip]);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  async function unbind(d: Device) {
    setMessage(null);
    if (!confirm(tt("dev.confirmUnbind"))) return;
    try {
      await api(`${PRESENCE}/devices/${encodeURIComponent(d.id)}/unbind`, { method: "POST", json: {} });
      setMessage({ ok: true, text: tt("dev.unbound") });
      devices.reload();
    } catch (err) {
      setMessage({ ok: false, text: errorText(err) });
    }
  }
  return (
    <section aria-labelledby="devices-title">
      <h2 id="devices-title">{tt("dev.title")}</h2>
      {message && <Notice kind={message.ok ? "ok" : "bad"} role={message.ok ? "status" : "alert"}><p>{message.text}</p></Notice>}
      {devices.error ? <LoadError error={devices.error} retry={devices.reload} /> : !devices.data ? <Loading />
        : !devices.data.items.length ? <p class="muted">{tt("dev.noneYet")}</p> : (
          <table class="table data">
            <thead><tr><th>{tt("dev.code")}</th><th>{t("home.status")}</th><th>{tt("dev.lastSeen")}</th><th /></tr></thead>
            <tbody>
              {devices.data.items.map((d) => (
                <tr key={d.id}>
                  <td>{d.label ?? "—"} · {d.fingerprint ?? "—"}</td>
                  <td><DeviceState state={d.state} /></td>
                  <td>{when(d.last_seen_at)}</td>
                  <td>{d.state !== "unbound" && <Button variant="warning" inline onClick={() => unbind(d)}>{tt("dev.unbind")}</Button>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
    </section>
  );
}
