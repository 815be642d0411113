/** A one-time confirmation carried to the next screen ("Pengajuan terkirim…"). */
import { signal } from "@preact/signals";
import { navigate } from "./router";

export const flash = signal<string | null>(null);

export function navigateWith(message: string, to: string): void {
  flash.value = message;
  navigate(to, { replace: true });
}

/** Read the message once; the next screen starts clean. */
export function takeFlash(): string | null {
  const message = flash.peek();
  if (message) queueMicrotask(() => { flash.value = null; });
  return message;
}
