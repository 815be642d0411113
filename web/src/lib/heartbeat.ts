/** "I am here" to performance about once a minute while the app is on screen; nothing while it is
 * hidden (another app in front, screen off), so a supervisor sees who actually has it open. */
import { api, PERFORMANCE } from "../api/client";

export const HEARTBEAT_MS = 60_000;

export function startHeartbeats(doc: Document = document, send = () => api(`${PERFORMANCE}/me/heartbeat`, { method: "POST" })): () => void {
  let timer: ReturnType<typeof setInterval> | undefined;
  const beat = () => { send().catch(() => undefined); };
  const sync = () => {
    clearInterval(timer);
    timer = undefined;
    if (doc.visibilityState === "visible") {
      beat();
      timer = setInterval(beat, HEARTBEAT_MS);
    }
  };
  doc.addEventListener("visibilitychange", sync);
  sync();
  return () => {
    clearInterval(timer);
    doc.removeEventListener("visibilitychange", sync);
  };
}
