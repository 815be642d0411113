/** What the server says about the trust of a day's record, in plain words: flagged and waiting for the
 * supervisor (still counted present), accepted, rejected (counted absent unless leave covers it), and a
 * correction's mark (who approved it, when, why). Nothing at all for an ordinary record. */
import { lang, t } from "../i18n";
import type { CheckIn, CheckOut, Correction } from "../lib/attendance";
import { flagList } from "../lib/errors";
import { clockWithZone, longDate } from "../lib/time";
import { Notice } from "./ui";

function correctedText(mark: Correction, tz: string): string {
  const L = lang.value;
  return t("trust.corrected", {
    by: mark.approved_by, reason: mark.reason,
    when: mark.approved_at ? `${longDate(mark.approved_at.slice(0, 10), L)} ${clockWithZone(mark.approved_at, tz, L)}` : "—",
  });
}

export function TrustNotice({ checkIn, checkOut, tz }: { checkIn: CheckIn | null; checkOut?: CheckOut | null; tz: string }) {
  if (!checkIn) return null;
  const flags = [...new Set([...(checkIn.flags ?? []), ...(checkOut?.flags ?? [])])];
  const note = checkIn.review_note ? t("trust.note", { note: checkIn.review_note }) : "";
  const marks = [checkIn.corrected, checkOut?.corrected].filter((m): m is Correction => !!m);
  return (
    <>
      {checkIn.review === "pending" && (
        <Notice role="status"><p data-testid="trust-review">{t("trust.pending", { reasons: flagList(flags) })}</p></Notice>
      )}
      {checkIn.review === "accepted" && <Notice kind="ok"><p data-testid="trust-review">{t("trust.accepted", { note })}</p></Notice>}
      {checkIn.review === "rejected" && <Notice kind="bad"><p data-testid="trust-review">{t("trust.rejected", { note })}</p></Notice>}
      {marks.map((m) => <p class="inset" key={m.correction_id} data-testid="trust-corrected">{correctedText(m, tz)}</p>)}
    </>
  );
}
