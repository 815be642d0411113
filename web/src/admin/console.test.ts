import { describe, expect, it } from "vitest";
import { failureFrom } from "../api/failure";
import { errorText, fieldErrors } from "../lib/errors";
import { changeLines, plain } from "./Audit";
import { parseCsv, toCsv } from "./common";
import { holidayKindText, holidayLine } from "./Holidays";
import { lineProblem } from "./Import";
import { extraColumns, statusText, type RecapRow } from "./Recap";

const body = (error: string, extra: Record<string, unknown> = {}, message = "English.") => ({ code: 422, status: "X", message, error, ...extra });

describe("holiday kinds", () => {
  it("names both kinds in either language, a missing one as national, an unknown one as it is", () => {
    expect(holidayKindText("national", "id")).toBe("Libur nasional");
    expect(holidayKindText("cuti_bersama", "id")).toBe("Cuti bersama");
    expect(holidayKindText(undefined, "en")).toBe("National holiday");
    expect(holidayKindText("regional", "id")).toBe("regional");
  });
});

describe("CSV lines", () => {
  it("reads quotes, semicolons and a BOM, and writes them back", () => {
    const rows = parseCsv('\uFEFFnip;name\r\n"19850330 201001 1 002";"Siti ""Ani"" A"\n');
    expect(rows).toEqual([["nip", "name"], ["19850330 201001 1 002", 'Siti "Ani" A']]);
    expect(parseCsv(toCsv(rows))).toEqual(rows);
    expect(toCsv([["a,b", "c"]])).toBe('"a,b",c\r\n');
  });

  it("says an import refusal in Indonesian or English and names its column", () => {
    const head = ["nip", "name", "unit_code", "position", "supervisor_nip", "email"];
    expect(lineProblem("unknown_unit: unit NOPE does not exist", head, "id")).toEqual({ text: "Unit kerja NOPE tidak ada.", column: "unit_code" });
    expect(lineProblem("unknown_unit: unit NOPE does not exist", head, "en").text).toBe("The unit NOPE does not exist.");
    expect(lineProblem("supervisor_cycle: 1 reports (directly or not) to 2", head, "id").column).toBe("supervisor_nip");
    expect(lineProblem("nip: digit 15 of the NIP (sex) must be 1 or 2, not 3", head, "id"))
      .toEqual({ text: "NIP tidak valid: digit 15 of the NIP (sex) must be 1 or 2, not 3", column: "nip" });
    expect(lineProblem("duplicate NIP 198503302010011002: already on line 2", head, "id").text).toBe("NIP 198503302010011002 ganda: sudah ada di baris 2.");
    expect(lineProblem("email 'x' is not a valid e-mail address", head, "id")).toEqual({ text: "email 'x' is not a valid e-mail address", column: "email" });
    expect(holidayLine("'2027-13-01' is not a date YYYY-MM-DD.", ["date", "name"], "id")).toEqual({ text: "2027-13-01 bukan tanggal TTTT-BB-HH.", column: "date" });
    expect(holidayLine("'2027-13-01' bukan tanggal YYYY-MM-DD.", ["date", "name"], "id")).toEqual({ text: "2027-13-01 bukan tanggal TTTT-BB-HH.", column: "date" });
    expect(holidayLine("Nama harus 1-200 karakter.", ["date", "name"], "id").column).toBe("name");
  });
});

describe("the console's error texts", () => {
  it("a supervisor loop is said beside its field, in both languages", () => {
    const f = failureFrom(422, body("supervisor_cycle", { errors: { supervisor_nip: ["x"] }, supervisor_nip: "1" }, "supervisor_nip: 1 reports to 2; that would be a loop."));
    expect(fieldErrors(f, "id").supervisor_nip).toContain("tidak boleh melingkar");
    expect(errorText(f, {}, "en")).toContain("must not loop");
  });

  it("numbers and codes from the details", () => {
    expect(errorText(failureFrom(409, body("has_active_subordinates", { subordinates: ["1", "2"] })), {}, "id")).toContain("2 pegawai aktif (1, 2)");
    expect(errorText(failureFrom(409, body("unit_already_housed", { units: { DISDIK: "K1" } })), {}, "id")).toContain("DISDIK (K1)");
    expect(errorText(failureFrom(422, body("unknown_unit", { unit_code: "XYZ" })), {}, "id")).toBe("Unit kerja XYZ tidak ada.");
  });
});

describe("audit and recap rendering", () => {
  it("never shows JSON", () => {
    expect(changeLines({ name: { from: "A", to: "B" }, unit_codes: ["X", "Y"], schedule: { grace_minutes: 5 }, note: null }))
      .toEqual(["name: A → B", "unit_codes: X, Y", "schedule: grace_minutes=5", "note: —"]);
    expect(plain({ a: [1, 2] })).toBe("a=1, 2");
  });

  it("shows a recap column or a day status it does not know yet", () => {
    const row = { nip: "1", name: "A", unit_code: "U", month: "2026-11", leave_days: {}, working_days: 20, corrected_days: 2 } as RecapRow;
    expect(extraColumns([row])).toEqual(["corrected_days"]);
    expect(statusText("hadir")).toBe("Hadir");
    expect(statusText("koreksi_disetujui")).toBe("koreksi disetujui");
  });
});
