import { describe, expect, it } from "vitest";
import { failureFrom } from "../api/failure";
import { errorText } from "./errors";
import { sizeText } from "./files";
import { attachmentProblem, balanceLines } from "./leave";

const balance = { year: 2026, entitlement: 12, carried_over: 0, available: 12, taken: 2, pending: 3, remaining: 7, carry_over_max: 6 };

describe("annual leave in words", () => {
  it("says what is left, where it comes from and what is used or held", () => {
    expect(balanceLines(balance, "id")).toEqual({
      remaining: "Sisa cuti tahunan 2026: 7 hari kerja",
      from: "Hak tahun ini 12 hari kerja.",
      used: "Sudah diambil 2 hari · menunggu keputusan 3 hari.",
    });
    const carried = balanceLines({ ...balance, carried_over: 6, available: 18, remaining: 13 }, "en");
    expect(carried.remaining).toBe("Annual leave left in 2026: 13 working days");
    expect(carried.from).toBe("This year's 12 days + 6 carried over = 18 working days.");
  });

  it("refuses an empty or too large attachment before it is sent, and lets a normal one go", () => {
    expect(attachmentProblem({ name: "surat.pdf", size: 0 }, "id")).toBe("Berkas surat.pdf kosong.");
    expect(attachmentProblem({ name: "scan.jpg", size: 10 * 1024 * 1024 + 1 }, "id")).toBe("Berkas scan.jpg terlalu besar; maks. 10 MB.");
    expect(attachmentProblem({ name: "scan.jpg", size: 10 * 1024 * 1024 }, "id")).toBeNull();
    expect(sizeText(2048)).toBe("2 KB");
    expect(sizeText(3 * 1048576)).toBe("3.0 MB");
  });

  it("says the balance refusal with its numbers, and plainly without them", () => {
    const f = failureFrom(422, { code: 422, error: "leave_balance_exceeded", message: "English.", year: 2026, remaining_days: 4, requested_days: 9 });
    expect(errorText(f, {}, "id")).toBe("Sisa cuti tahunan 2026 Anda 4 hari kerja, sedangkan pengajuan ini memerlukan 9 hari kerja. Perpendek tanggalnya atau pilih jenis lain.");
    expect(errorText(f, {}, "en")).toContain("You have 4 working days of annual leave left in 2026; this request needs 9.");
    expect(errorText(failureFrom(422, { error: "leave_balance_exceeded", message: "x" }), {}, "id"))
      .toBe("Sisa cuti tahunan Anda tidak cukup untuk pengajuan ini.");
  });
});
