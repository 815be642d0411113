/** A one-time confirmation shown on the screen a form leads to ("Pengajuan terkirim…"). */
import { signal } from "@preact/signals";
import { navigate } from "./router";

export const flash = signal<{ text: string; path: string } | null>(null);

export function navigateWith(text: string, to: string): void {
  flash.value = { text, path: to.split("?")[0] };
  navigate(to, { replace: true });
}
