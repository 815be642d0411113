import type { MessageKey } from "../i18n";

export type Colour = "blue" | "green" | "red" | "yellow" | "grey" | "orange" | "purple";

export const DAY_STATUSES = ["hadir", "terlambat", "pulang_cepat", "izin", "sakit", "cuti", "dinas_luar", "tugas_belajar",
  "tanpa_keterangan", "libur", "no_checkout", "belum_hadir"] as const;

const DAY_COLOURS: Record<string, Colour> = {
  hadir: "green", terlambat: "orange", pulang_cepat: "yellow", izin: "purple", sakit: "purple", cuti: "purple",
  dinas_luar: "purple", tugas_belajar: "purple", tanpa_keterangan: "red", libur: "grey", no_checkout: "red",
  belum_hadir: "blue",
};

export function dayColour(status: string): Colour {
  return DAY_COLOURS[status] ?? "grey";
}

export function dayStatusKey(status: string): MessageKey {
  return (DAY_STATUSES as readonly string[]).includes(status) ? `status.${status}` as MessageKey : "status.belum_hadir";
}

const STATE_COLOURS: Record<string, Colour> = {
  pending: "blue", approved: "green", rejected: "red", cancelled: "grey", returned: "orange",
  assigned: "blue", in_progress: "yellow", submitted: "purple", revision_requested: "orange",
  online: "green", away: "yellow", offline: "grey",
};

export function stateColour(state: string): Colour {
  return STATE_COLOURS[state] ?? "grey";
}

export function modeKey(mode: string | null | undefined): MessageKey {
  return mode === "WFH" ? "mode.WFH" : mode === "DL" ? "mode.DL" : "mode.WFO";
}

/** Calendar cell abbreviations (the legend spells them out). */
export const DAY_ABBR: Record<string, string> = {
  hadir: "H", terlambat: "T", pulang_cepat: "PC", izin: "I", sakit: "S", cuti: "C", dinas_luar: "DL",
  tugas_belajar: "TB", tanpa_keterangan: "TK", libur: "L", no_checkout: "TP", belum_hadir: "–",
};
