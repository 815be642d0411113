/** The employees' CSV import: the good lines are applied, each refused line comes back as a row of a
 * table with the cell at fault marked; the admin fixes the cells there and sends only those lines again
 * (as a new CSV with the same header), until nothing is refused. */
import { useState } from "preact/hooks";
import { api, IDENTITY } from "../api/client";
import { Button, ErrorSummary, Notice } from "../components/ui";
import { lang, t, translator, type Lang } from "../i18n";
import { errorText } from "../lib/errors";
import { at, Console, parseCsv, toCsv } from "./common";

const ti = translator({
  "intro": ["Kolom: nip, name, unit_code, position, supervisor_nip, email (urutan bebas; koma atau titik koma; UTF-8). Baris yang benar langsung disimpan; baris yang salah ditampilkan di bawah untuk diperbaiki.",
    "Columns: nip, name, unit_code, position, supervisor_nip, email (any order; comma or semicolon; UTF-8). Good lines are applied at once; refused lines are listed below to fix."],
  "file": ["Berkas CSV", "CSV file"],
  "fileMissing": ["Pilih berkas CSV", "Choose a CSV file"],
  "upload": ["Unggah dan impor", "Upload and import"],
  "busy": ["Mengimpor…", "Importing…"],
  "result": ["Hasil impor: {created} baru, {updated} diubah, {unchanged} tidak berubah, {errors} baris ditolak.",
    "Import result: {created} created, {updated} updated, {unchanged} unchanged, {errors} lines refused."],
  "fixTitle": ["Baris yang ditolak", "Refused lines"],
  "fixIntro": ["Perbaiki isian yang ditandai langsung di tabel, lalu kirim ulang baris-baris ini saja.", "Fix the marked cells right in the table, then send these lines again."],
  "resend": ["Kirim ulang baris yang diperbaiki", "Send the fixed lines again"],
  "allGood": ["Semua baris sudah masuk.", "Every line is in."],
  "line": ["Baris {n}", "Line {n}"],
  "m.unknown_unit": ["Unit kerja {unit} tidak ada.", "The unit {unit} does not exist."],
  "m.unknown_supervisor": ["Tidak ada pegawai dengan NIP atasan {nip} (di sistem maupun di baris lain yang benar).", "No employee with the supervisor NIP {nip} (neither in the system nor on a good line of this file)."],
  "m.inactive_supervisor": ["Atasan {nip} tidak aktif.", "The supervisor {nip} is not active."],
  "m.supervisor_cycle": ["Rantai atasan melingkar: atasan ini melapor (langsung atau tidak) kepada pegawai tersebut.", "The supervisor chain loops: this supervisor reports (directly or not) to the employee."],
  "m.duplicate": ["NIP {nip} ganda: sudah ada di baris {line}.", "Duplicate NIP {nip}: already on line {line}."],
  "m.nip": ["NIP tidak valid: {reason}", "Not a valid NIP: {reason}"],
  "m.required": ["Kolom {column} wajib diisi.", "The column {column} is required."],
});

type TI = Parameters<typeof ti>[0];

interface Refused {
  line: number;
  cells: string[];
  message: string;
}

const COLUMNS = ["nip", "name", "unit_code", "position", "supervisor_nip", "email"];

/** A refusal in words, and the column it names (to mark the cell). */
export function lineProblem(message: string, header: string[], which: Lang = lang.value): { text: string; column: string | null } {
  const m = (key: TI, p?: Record<string, string>) => ti(key, p, which);
  let match: RegExpMatchArray | null;
  if ((match = message.match(/^unknown_unit: unit (\S+)/))) return { text: m("m.unknown_unit", { unit: match[1] }), column: "unit_code" };
  if ((match = message.match(/^unknown_supervisor: no employee with NIP (\d+)/))) return { text: m("m.unknown_supervisor", { nip: match[1] }), column: "supervisor_nip" };
  if ((match = message.match(/^inactive_supervisor: employee (\d+)/))) return { text: m("m.inactive_supervisor", { nip: match[1] }), column: "supervisor_nip" };
  if (/^supervisor_cycle:/.test(message)) return { text: m("m.supervisor_cycle"), column: "supervisor_nip" };
  if ((match = message.match(/^duplicate NIP (\d+): already on line (\d+)/))) return { text: m("m.duplicate", { nip: match[1], line: match[2] }), column: "nip" };
  if ((match = message.match(/^(nip|supervisor_nip): (.*)$/))) return { text: m("m.nip", { reason: match[2] }), column: match[1] };
  if ((match = message.match(/^(\w+) is required$/))) return { text: m("m.required", { column: match[1] }), column: match[1] };
  const first = message.match(/^(\w+)/)?.[1] ?? "";
  return { text: message, column: header.includes(first) ? first : null };
}

export interface CsvImportProps {
  /** The import route (multipart field `file`). */
  endpoint: string;
  columns: string[];
  /** A refused line's message in words, and the column it names. */
  describe: (message: string, header: string[]) => { text: string; column: string | null };
  /** The counts of one upload, in words. */
  summary: (answer: CsvAnswer) => string;
  /** After each upload (e.g. to reload a list). */
  onImported?: () => void;
}

export interface CsvAnswer {
  errors: { line: number; message: string }[];
  [count: string]: unknown;
}

export function EmployeeImport() {
  return (
    <Console title={t("nav.adminImport")} back="/admin/pegawai">
      <p>{ti("intro")}</p>
      <CsvImport endpoint={`${IDENTITY}/employees/import`} columns={COLUMNS} describe={lineProblem}
        summary={(r) => ti("result", { created: Number(r.created), updated: Number(r.updated), unchanged: Number(r.unchanged), errors: r.errors.length })} />
    </Console>
  );
}

/** Upload a CSV; the good lines are applied by the server, the refused ones come back as editable rows
 * (the cell at fault marked) that are sent again as a CSV with the same header. */
export function CsvImport({ endpoint, columns, describe, summary, onImported }: CsvImportProps) {
  const [file, setFile] = useState<File | null>(null);
  const [header, setHeader] = useState<string[]>([]);
  const [refused, setRefused] = useState<Refused[]>([]);
  const [results, setResults] = useState<CsvAnswer[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const [missing, setMissing] = useState(false);
  const [busy, setBusy] = useState(false);

  async function send(csv: Blob, name: string, head: string[], lineCells: (line: number) => string[], originalLine: (line: number) => number) {
    const body = new FormData();
    body.append("file", csv, name);
    const answer = await api<CsvAnswer>(endpoint, { method: "POST", form: body });
    setResults((r) => [...r, answer]);
    onImported?.();
    setRefused(answer.errors.map((e) => {
      const cells = lineCells(e.line);
      return { line: originalLine(e.line), cells: Array.from({ length: Math.max(head.length, cells.length) }, (_, j) => cells[j] ?? ""), message: e.message };
    }));
  }

  async function upload(e: Event) {
    e.preventDefault();
    setProblem(null);
    setMissing(!file);
    if (!file) return;
    setBusy(true);
    try {
      const rows = parseCsv(await file.text());
      const head = (rows[0] ?? []).map((h) => h.trim().toLowerCase());
      setHeader(head);
      setResults([]);
      await send(file, file.name, head, (line) => rows[line - 1] ?? [], (line) => line);
    } catch (err) {
      setProblem(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  async function resend() {
    setProblem(null);
    setBusy(true);
    try {
      const lines = refused.map((r) => r.cells);
      const csv = new Blob([toCsv([header, ...lines])], { type: "text/csv" });
      const byNewLine = new Map(refused.map((r, i) => [i + 2, r]));
      await send(csv, "perbaikan.csv", header, (line) => byNewLine.get(line)?.cells ?? [], (line) => byNewLine.get(line)?.line ?? line);
    } catch (err) {
      setProblem(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  function edit(index: number, column: number, value: string) {
    setRefused((list) => list.map((r, i) => (i === index ? { ...r, cells: r.cells.map((c, j) => (j === column ? value : c)) } : r)));
  }

  const shown = header.length ? header : columns;
  const last = results[results.length - 1];
  return (
    <>
      <ErrorSummary items={problem ? [{ text: problem, field: "file" }] : missing ? [{ text: ti("fileMissing"), field: "file" }] : []} />
      <form onSubmit={upload} noValidate>
        <div class={`field${missing || problem ? " has-error" : ""}`}>
          <label for="file">{ti("file")}</label>
          {missing && <span class="error-message">{ti("fileMissing")}</span>}
          {problem && <span class="error-message">{problem}</span>}
          <input type="file" id="file" name="file" accept=".csv,text/csv" onChange={(e) => setFile((e.target as HTMLInputElement).files?.[0] ?? null)} />
        </div>
        <Button type="submit" disabled={busy}>{busy ? ti("busy") : ti("upload")}</Button>
      </form>
      {results.map((r, i) => (
        <Notice key={i} kind={r.errors.length ? "info" : "ok"} role="status">
          <p data-testid="import-result">{summary(r)}</p>
        </Notice>
      ))}
      {last && !refused.length && <p><strong>{ti("allGood")}</strong></p>}
      {refused.length > 0 && (
        <section aria-labelledby="refused-title">
          <h2 id="refused-title">{ti("fixTitle")}</h2>
          <p>{ti("fixIntro")}</p>
          <div class="table-wrap">
            <table class="table data" data-testid="import-errors">
              <thead><tr><th>{at("lineCol")}</th><th class="wrap">{at("errorCol")}</th>{shown.map((h) => <th key={h}>{h}</th>)}</tr></thead>
              <tbody>
                {refused.map((r, i) => {
                  const why = describe(r.message, shown);
                  return (
                    <tr key={r.line} class="bad" data-testid="import-error" data-line={r.line}>
                      <td>{r.line}</td>
                      <td class="wrap"><span class="error-message">{why.text}</span></td>
                      {shown.map((h, j) => (
                        <td key={h} class={why.column === h ? "has-error" : undefined}>
                          <input class={h.endsWith("nip") ? "nip" : undefined} aria-label={`${ti("line", { n: r.line })}: ${h}`} value={r.cells[j] ?? ""} aria-invalid={why.column === h ? "true" : undefined}
                            onInput={(e) => edit(i, j, (e.target as HTMLInputElement).value)} />
                        </td>
                      ))}
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          <Button onClick={resend} disabled={busy}>{busy ? ti("busy") : ti("resend")}</Button>
        </section>
      )}
    </>
  );
}
