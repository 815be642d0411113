import { describe, expect, it } from "vitest";
import { failureFrom } from "../api/failure";
import { errorText } from "../lib/errors";
import { predikatOf } from "./common";

describe("the predikat matrix (rows hasil kerja, columns perilaku)", () => {
  const cells: [string, string, string][] = [
    ["di_atas", "di_bawah", "Kurang/Misconduct"], ["di_atas", "sesuai", "Baik"], ["di_atas", "di_atas", "Sangat Baik"],
    ["sesuai", "di_bawah", "Kurang/Misconduct"], ["sesuai", "sesuai", "Baik"], ["sesuai", "di_atas", "Baik"],
    ["di_bawah", "di_bawah", "Sangat Kurang"], ["di_bawah", "sesuai", "Butuh Perbaikan"], ["di_bawah", "di_atas", "Butuh Perbaikan"],
  ];
  it.each(cells)("%s x %s = %s", (hasil, perilaku, predikat) => expect(predikatOf(hasil, perilaku)).toBe(predikat));
  it("nothing for an unknown rating", () => expect(predikatOf("bagus", "sesuai")).toBeNull());
});

describe("SKP refusals in words", () => {
  it("cascade and frozen plans", () => {
    expect(errorText(failureFrom(422, { error: "cascade_invalid", message: "x" }), {}, "id")).toContain("RHK atasan yang dipilih");
    expect(errorText(failureFrom(409, { error: "skp_frozen", message: "x" }), {}, "en")).toContain("open a revision");
  });
});
