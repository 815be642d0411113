/** Annual leave (cuti tahunan) in words, and the check of a leave attachment before it is sent. */
import { t, type Lang } from "../i18n";
import { MAX_FILE_BYTES } from "./files";

/** GET /me/leave-balance: working days of one year. */
export interface LeaveBalance {
  year: number;
  entitlement: number;
  carried_over: number;
  available: number;
  taken: number;
  pending: number;
  remaining: number;
  carry_over_max?: number;
}

export interface LeaveAttachment {
  id: string;
  name: string;
  size: number;
  content_type: string;
  uploaded_at?: string;
}

/** The balance as three plain sentences: what is left, where it comes from, what is used or held. */
export function balanceLines(b: LeaveBalance, lang?: Lang): { remaining: string; from: string; used: string } {
  return {
    remaining: t("balance.remaining", { year: b.year, n: b.remaining }, lang),
    from: b.carried_over > 0
      ? t("balance.fromCarried", { entitlement: b.entitlement, carried: b.carried_over, available: b.available }, lang)
      : t("balance.from", { entitlement: b.entitlement }, lang),
    used: t("balance.used", { taken: b.taken, pending: b.pending }, lang),
  };
}

/** PDF, JPEG or PNG (a scan or a photo of the letter); the server judges the content, this only
 * spares the upload of a file it would refuse by size or emptiness. null: fine to send. */
export function attachmentProblem(file: { name: string; size: number }, lang?: Lang): string | null {
  if (file.size === 0) return t("leave.fileEmpty", { name: file.name }, lang);
  if (file.size > MAX_FILE_BYTES) return t("leave.fileTooBig", { name: file.name, max: MAX_FILE_BYTES / 1048576 }, lang);
  return null;
}

/** The phone may offer its camera as well as its files (no forced capture: a PDF must stay possible). */
export const ATTACHMENT_ACCEPT = "image/*,application/pdf";
