/** A one-time confirmation shown on the screen a form leads to ("Pengajuan terkirim…"). */
import { signal } from "@preact/signals";
import { navigate } from "./router";

export const flash = signal<{ text: string; path: string; ok: boolean } | null>(null);

/** ok false: the form's main step worked but a later one did not (said as a problem, not a success). */
export function navigateWith(text: string, to: string, ok = true): void {
  flash.value = { text, path: to.split("?")[0], ok };
  navigate(to, { replace: true });
}
