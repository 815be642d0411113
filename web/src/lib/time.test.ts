import { describe, expect, it } from "vitest";
import { addDays, addMonths, clock, clockWithZone, hhmm, lastDayOfMonth, longDate, monthGrid, todayIn, zoneLabel } from "./time";

describe("zones", () => {
  it("names Indonesia's three zones", () => {
    expect(zoneLabel("Asia/Jakarta")).toBe("WIB");
    expect(zoneLabel("Asia/Pontianak")).toBe("WIB");
    expect(zoneLabel("Asia/Makassar")).toBe("WITA");
    expect(zoneLabel("Asia/Jayapura")).toBe("WIT");
    expect(zoneLabel("Europe/London", new Date("2026-01-15T12:00:00Z"))).toMatch(/^GMT(\+0)?$/);
    expect(zoneLabel("Asia/Kolkata")).toBe("GMT+5:30");
  });

  it("shows an instant in the office's zone", () => {
    const at = "2026-03-02T00:32:00Z";
    expect(clockWithZone(at, "Asia/Jakarta", "id")).toBe("07.32 WIB");
    expect(clockWithZone(at, "Asia/Makassar", "id")).toBe("08.32 WITA");
    expect(clockWithZone(at, "Asia/Jayapura", "en")).toBe("09:32 WIT");
    expect(clock("2026-03-02T07:32:00+07:00", "Asia/Jakarta", "en")).toBe("07:32");
  });

  it("knows the office's date, not the phone's", () => {
    const late = new Date("2026-03-01T17:30:00Z"); // 00:30 WIB on the 2nd, 02:30 WIT
    expect(todayIn("Asia/Jakarta", late)).toBe("2026-03-02");
    expect(todayIn("Europe/London", late)).toBe("2026-03-01");
  });
});

describe("calendar", () => {
  it("formats dates in Indonesian and English", () => {
    expect(longDate("2026-03-02", "id")).toBe("Senin, 2 Maret 2026");
    expect(longDate("2026-03-02", "en")).toMatch(/^Monday,? 2 March 2026$/);
    expect(hhmm("07:30", "id")).toBe("07.30");
    expect(hhmm("07:30", "en")).toBe("07:30");
  });

  it("walks days and months across ends", () => {
    expect(addDays("2026-02-28", 1)).toBe("2026-03-01");
    expect(addDays("2028-02-28", 1)).toBe("2028-02-29");
    expect(addMonths("2026-12", 1)).toBe("2027-01");
    expect(addMonths("2026-01", -1)).toBe("2025-12");
    expect(lastDayOfMonth("2026-02")).toBe("2026-02-28");
  });

  it("lays a month out Monday first", () => {
    const grid = monthGrid("2026-03"); // 1 March 2026 is a Sunday
    expect(grid[0].slice(0, 6)).toEqual([null, null, null, null, null, null]);
    expect(grid[0][6]).toBe("2026-03-01");
    expect(grid.flat().filter(Boolean)).toHaveLength(31);
    expect(grid.every((w) => w.length === 7)).toBe(true);
  });
});
