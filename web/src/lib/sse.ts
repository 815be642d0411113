/** Server-Sent Events over fetch, so the token goes in the Authorization header instead of the
 * URL (EventSource cannot send headers). Reconnects by itself, with a fresh token each time. */
import { acceptLanguage } from "../i18n";

export interface SseEvent {
  event: string;
  data: string;
  id?: string;
  retry?: number;
}

/** Split a buffer into complete events; the incomplete tail is returned for the next chunk. */
export function parseSse(buffer: string): { events: SseEvent[]; rest: string } {
  const normalised = buffer.replace(/\r\n?/g, "\n");
  const blocks = normalised.split("\n\n");
  const rest = blocks.pop() ?? "";
  const events: SseEvent[] = [];
  for (const block of blocks) {
    const ev: SseEvent = { event: "message", data: "" };
    const data: string[] = [];
    let any = false;
    for (const line of block.split("\n")) {
      if (!line || line.startsWith(":")) continue;
      const colon = line.indexOf(":");
      const field = colon === -1 ? line : line.slice(0, colon);
      let value = colon === -1 ? "" : line.slice(colon + 1);
      if (value.startsWith(" ")) value = value.slice(1);
      if (field === "event") { ev.event = value; any = true; }
      else if (field === "data") { data.push(value); any = true; }
      else if (field === "id") ev.id = value;
      else if (field === "retry" && /^\d+$/.test(value)) { ev.retry = Number(value); any = true; }
    }
    ev.data = data.join("\n");
    if (any) events.push(ev);
  }
  return { events, rest };
}

export type StreamState = "connecting" | "live" | "reconnecting";

export interface StreamOptions {
  url: string;
  token: () => Promise<string | null>;
  onEvent: (ev: SseEvent) => void;
  onState: (state: StreamState) => void;
  /** Called with the HTTP failure body when the server refuses the stream. */
  onRefused?: (status: number, body: unknown) => void;
}

/** Opens the stream and keeps it open until the returned function is called. */
export function openStream(opts: StreamOptions): () => void {
  const abort = new AbortController();
  let retryMs = 3000;
  let stopped = false;

  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  (async () => {
    let first = true;
    while (!stopped) {
      opts.onState(first ? "connecting" : "reconnecting");
      first = false;
      try {
        const token = await opts.token();
        const resp = await fetch(opts.url, {
          headers: { Accept: "text/event-stream", "Accept-Language": acceptLanguage(),
            ...(token ? { Authorization: `Bearer ${token}` } : {}) },
          cache: "no-store", signal: abort.signal,
        });
        if (!resp.ok || !resp.body) {
          let body: unknown = null;
          try { body = await resp.json(); } catch { /* not JSON */ }
          opts.onRefused?.(resp.status, body);
          const wait = (body as { retry_after_s?: number } | null)?.retry_after_s;
          await sleep(typeof wait === "number" ? wait * 1000 : retryMs);
          continue;
        }
        const reader = resp.body.getReader();
        const decoder = new TextDecoder();
        let buffer = "";
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += decoder.decode(value, { stream: true });
          const parsed = parseSse(buffer);
          buffer = parsed.rest;
          for (const ev of parsed.events) {
            if (ev.retry) retryMs = ev.retry;
            if (ev.event === "bye") continue;
            if (ev.data) {
              opts.onState("live");
              opts.onEvent(ev);
            }
          }
        }
      } catch (err) {
        if (stopped) return;
      }
      if (!stopped) await sleep(retryMs);
    }
  })();

  return () => {
    stopped = true;
    abort.abort();
  };
}
