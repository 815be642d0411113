import { describe, expect, it } from "vitest";
import { ApiFailure, failureFrom, networkFailure } from "../api/failure";
import { MESSAGES } from "../i18n/messages";
import { errorText, fieldErrors } from "./errors";

const body = (error: string, extra: Record<string, unknown> = {}, message = "The server's English sentence.") =>
  ({ code: 400, status: "X", message, error, request_id: "r1", ...extra });

describe("error texts", () => {
  it("puts the fence refusal's numbers into plain Indonesian", () => {
    const f = failureFrom(403, body("outside_geofence", { distance_m: 132.4, radius_m: 50, office_code: "BKPSDM" }));
    expect(errorText(f, { officeName: "Kantor BKPSDM" }, "id"))
      .toBe("Anda berada 132 m dari Kantor BKPSDM; presensi hanya dalam radius 50 m.");
    expect(errorText(f, {}, "en")).toBe("You are 132 m from BKPSDM; check-in is only allowed within 50 m.");
  });

  it("low accuracy, roster, travel, lockout", () => {
    expect(errorText(failureFrom(422, body("low_accuracy", { accuracy_m: 180, max_accuracy_m: 100 })), {}, "id"))
      .toBe("Akurasi GPS 180 m terlalu rendah (maks. 100 m); coba di luar ruangan.");
    expect(errorText(failureFrom(409, body("roster_mismatch", { roster_mode: "WFH", date: "2026-03-02" })), {}, "id"))
      .toBe("Jadwal Anda hari ini WFH.");
    expect(errorText(failureFrom(409, body("no_approved_travel", { date: "2026-03-02" })), {}, "id")).toContain("2 Mar 2026");
    expect(errorText(failureFrom(429, body("too_many_attempts", { retry_after_s: 900 })), {}, "id")).toContain("15 menit");
  });

  it("already checked in names the first time in the office's zone", () => {
    const f = failureFrom(409, body("already_checked_in", { check_in: { checked_in_at: "2026-03-02T07:31:00+07:00" } }));
    expect(errorText(f, { timezone: "Asia/Jakarta" }, "id")).toBe("Anda sudah presensi masuk hari ini pukul 07.31 WIB.");
  });

  it("falls back to the server's message for an unknown code, never to JSON", () => {
    const f = failureFrom(418, body("brand_new_code"));
    expect(errorText(f, {}, "id")).toBe("The server's English sentence.");
    const bare = failureFrom(500, "<html>oops</html>");
    expect(errorText(bare, {}, "id")).toBe("Terjadi kesalahan di server (kode 500). Coba lagi nanti.");
    expect(errorText(networkFailure(), {}, "id")).toContain("Tidak ada koneksi");
    for (const text of [errorText(f), errorText(bare), errorText(new Error("x")), errorText({ error: "x" })]) {
      expect(text).not.toMatch(/[{}[\]]|object Object|Traceback/);
    }
  });

  it("session and gateway errors", () => {
    for (const code of ["invalid_token", "missing_token", "invalid_refresh_token", "refresh_token_reused"]) {
      expect(errorText(failureFrom(401, body(code)), {}, "id")).toBe("Sesi Anda telah berakhir. Silakan masuk lagi.");
    }
    expect(errorText(failureFrom(502, body("bad_gateway")), {}, "id")).toContain("tidak dapat dihubungi");
  });

  it("every code the app maps has both languages", () => {
    for (const [key, pair] of Object.entries(MESSAGES)) {
      expect(pair[0], key).toBeTruthy();
      expect(pair[1], key).toBeTruthy();
    }
  });
});

describe("field errors", () => {
  it("translates marshmallow's sentences and flattens webargs' location", () => {
    const f = failureFrom(422, body("validation_failed", {
      errors: { json: { reason: ["Missing data for required field."], spt_number: ["Longer than maximum length 100."], x: ["Unknown field."], z: ["Something odd."] } },
    }));
    expect(f).toBeInstanceOf(ApiFailure);
    expect(fieldErrors(f, "id")).toEqual({
      reason: "Wajib diisi", spt_number: "Maksimal 100 karakter", x: "Isian tidak dikenal", z: "Something odd.",
    });
  });

  it("a field error of a known code gets the code's own sentence", () => {
    const f = failureFrom(422, body("weak_password", { errors: { new_password: ["must not contain the NIP"] } }));
    expect(fieldErrors(f, "id").new_password).toContain("Kata sandi baru belum memenuhi syarat");
  });
});
