/** What the SKP screens share: the plan's shapes, the texts (loaded with these screens only), the
 * ratings and the official predikat matrix, and the SKP error codes in words. */
import type { ApiFailure } from "../api/failure";
import { Tag } from "../components/ui";
import { translator, type Lang } from "../i18n";
import { registerErrorTexts } from "../lib/errors";
import type { Colour } from "../lib/status";
import "../wide.css";
import "./skp.css";

export const ts = translator({
  "status.draft": ["Draf", "Draft"],
  "status.submitted": ["Diajukan, menunggu persetujuan", "Submitted, awaiting approval"],
  "status.approved": ["Disetujui", "Approved"],
  "status.returned": ["Dikembalikan untuk diperbaiki", "Returned for changes"],
  "status.none": ["Belum ada SKP", "No SKP yet"],
  "type.utama": ["RHK utama", "Main RHK"],
  "type.tambahan": ["RHK tambahan", "Additional RHK"],
  "aspect.kuantitas": ["Kuantitas", "Quantity"],
  "aspect.kualitas": ["Kualitas", "Quality"],
  "aspect.waktu": ["Waktu", "Time"],
  "rating.di_atas": ["Di atas ekspektasi", "Above expectations"],
  "rating.sesuai": ["Sesuai ekspektasi", "As expected"],
  "rating.di_bawah": ["Di bawah ekspektasi", "Below expectations"],
  "bk.berorientasi_pelayanan": ["Berorientasi Pelayanan", "Service-oriented"],
  "bk.akuntabel": ["Akuntabel", "Accountable"],
  "bk.kompeten": ["Kompeten", "Competent"],
  "bk.harmonis": ["Harmonis", "Harmonious"],
  "bk.loyal": ["Loyal", "Loyal"],
  "bk.adaptif": ["Adaptif", "Adaptive"],
  "bk.kolaboratif": ["Kolaboratif", "Collaborative"],
  "period.annual": ["Tahunan (akhir)", "Annual (final)"],
  "parentRhk": ["RHK atasan yang diintervensi", "Supervisor's RHK supported"],
  "rhk": ["Rencana hasil kerja (RHK)", "Planned work result (RHK)"],
  "indicator": ["Indikator kinerja", "Performance indicator"],
  "target": ["Target", "Target"],
  "unit": ["Satuan", "Unit"],
  "aspect": ["Aspek", "Aspect"],
  "predikat": ["Predikat", "Predikat"],
  "hasilKerja": ["Rating hasil kerja", "Work result rating"],
  "perilaku": ["Rating perilaku kerja", "Behaviour rating"],
  "document": ["Buka dokumen", "Open the document"],
  "err.skp_exists": ["Anda sudah memiliki SKP untuk tahun ini.", "You already have an SKP for this year."],
  "err.skp_frozen": ["SKP yang sudah disetujui tidak dapat diubah; buka revisi untuk mengubahnya.", "An approved SKP cannot be changed; open a revision to change it."],
  "err.skp_not_approved": ["SKP ini belum disetujui; realisasi dan evaluasi baru bisa setelah disetujui.", "This SKP is not approved yet; realisation and evaluation come after approval."],
  "err.cascade_invalid": ["RHK atasan yang dipilih bukan bagian dari SKP atasan langsung yang sudah disetujui untuk tahun ini. Setiap RHK utama harus mendukung satu RHK atasan.",
    "The chosen supervisor's RHK is not part of the direct supervisor's approved SKP of this year. Every main RHK must support one of the supervisor's RHK."],
  "err.invalid_period": ["Periode ini tidak termasuk dalam SKP atau belum dimulai.", "This period is not part of the SKP or has not started yet."],
  "err.perilaku_mismatch": ["Rating perilaku harus sama dengan rating perilaku pada penilaian BerAKHLAK periode ini.", "The behaviour rating must match the BerAKHLAK rating of this period."],
  "err.period_evaluated": ["Periode ini sudah dievaluasi; realisasinya tidak bisa diubah lagi.", "This period has been evaluated; its realisation can no longer change."],
  "err.not_evaluated": ["Periode ini belum dievaluasi.", "This period has not been evaluated yet."],
});

export type TS = Parameters<typeof ts>[0];

registerErrorTexts((failure: ApiFailure, lang?: Lang) => {
  const key = `err.${failure.code}` as TS;
  return key in SKP_CODES ? ts(key, {}, lang) : null;
});
const SKP_CODES = { "err.skp_exists": 1, "err.skp_frozen": 1, "err.skp_not_approved": 1, "err.cascade_invalid": 1, "err.invalid_period": 1,
  "err.perilaku_mismatch": 1, "err.period_evaluated": 1, "err.not_evaluated": 1 } as Record<string, 1>;

export const RATINGS = ["di_atas", "sesuai", "di_bawah"] as const;
export const ASPECTS = ["kuantitas", "kualitas", "waktu"] as const;
export const BERAKHLAK = ["berorientasi_pelayanan", "akuntabel", "kompeten", "harmonis", "loyal", "adaptif", "kolaboratif"] as const;

/** The official matrix (PermenPANRB 6/2022): rows hasil kerja, columns perilaku. The server decides;
 * this shows the admin the cell before sending. */
const MATRIX: Record<string, Record<string, string>> = {
  di_atas: { di_bawah: "Kurang/Misconduct", sesuai: "Baik", di_atas: "Sangat Baik" },
  sesuai: { di_bawah: "Kurang/Misconduct", sesuai: "Baik", di_atas: "Baik" },
  di_bawah: { di_bawah: "Sangat Kurang", sesuai: "Butuh Perbaikan", di_atas: "Butuh Perbaikan" },
};

export function predikatOf(hasilKerja: string, perilaku: string): string | null {
  return MATRIX[hasilKerja]?.[perilaku] ?? null;
}

export function ratingText(rating: string | null | undefined): string {
  return rating && (RATINGS as readonly string[]).includes(rating) ? ts(`rating.${rating}` as TS) : rating ?? "—";
}

export function periodText(period: string, label?: string): string {
  return period === "annual" ? ts("period.annual") : label ?? period;
}

export interface Indicator {
  id?: string;
  description: string;
  target: number;
  unit: string;
  aspect: string;
}

export interface Item {
  id?: string;
  type: string;
  rhk: string;
  parent_item_id?: string | null;
  parent_rhk?: string | null;
  indicators: Indicator[];
}

export interface Person {
  nip: string;
  name: string | null;
  position: string | null;
  unit_code: string | null;
}

export interface Skp {
  id: string;
  nip: string;
  year: number;
  status: string;
  revision: number;
  period_scheme: string;
  employee: Person;
  items: Item[];
  approved: { revision: number; items: Item[]; approved_by: string; approved_at: string; rater?: Person } | null;
  return_note?: string | null;
  history?: { action: string; from_status: string | null; to_status: string; by: string; at: string; note: string | null }[];
}

const STATUS_COLOURS: Record<string, Colour> = { draft: "grey", submitted: "blue", approved: "green", returned: "orange" };

export function StatusTag({ status }: { status: string | null | undefined }) {
  const key = `status.${status ?? "none"}` as TS;
  return <Tag colour={STATUS_COLOURS[status ?? ""] ?? "grey"}>{status && !(["draft", "submitted", "approved", "returned"].includes(status)) ? status : ts(key)}</Tag>;
}

export function thisYear(): number {
  return new Date().getFullYear();
}
