import { signal } from "@preact/signals";

/** The browser's idea of the connection; a failed request is the real test. */
export const online = signal(typeof navigator === "undefined" ? true : navigator.onLine);

export function watchConnection(): void {
  window.addEventListener("online", () => { online.value = true; });
  window.addEventListener("offline", () => { online.value = false; });
}
