/** One SKP: the employee drafts it (RHK with indicators; each RHK utama picks the supervisor's approved
 * RHK it supports) and submits it; the direct supervisor (or an admin) approves or returns it; once
 * approved, its periods lead to realisation and evaluation, and the document opens. */
import { useState } from "preact/hooks";
import { api, IDENTITY, PERFORMANCE } from "../api/client";
import { Button, ErrorSummary, LoadError, Loading, Notice, PageTitle, Select, Summary, TextArea, TextField } from "../components/ui";
import { lang, t, translator } from "../i18n";
import { navigateWith } from "../lib/flash";
import { current } from "../lib/router";
import { shortDate } from "../lib/time";
import { useAsync } from "../lib/useAsync";
import { useForm } from "../lib/useForm";
import { ASPECTS, periodText, StatusTag, thisYear, ts, type Item, type Skp } from "./common";

const tp = translator({
  "newTitle": ["Susun SKP {year}", "Draft the SKP for {year}"],
  "title": ["SKP {year} · {name}", "SKP {year} · {name}"],
  "intro": ["Tulis rencana hasil kerja (RHK) Anda beserta indikator dan targetnya. Setiap RHK utama harus mendukung salah satu RHK atasan langsung yang sudah disetujui.",
    "Write your planned work results (RHK) with indicators and targets. Every main RHK must support one of your direct supervisor's approved RHK."],
  "noParents": ["Atasan langsung Anda belum memiliki SKP {year} yang disetujui, jadi belum ada RHK atasan untuk dipilih. RHK tambahan tetap bisa disusun.",
    "Your direct supervisor has no approved SKP for {year} yet, so there is no RHK to pick. Additional RHK can still be written."],
  "top": ["Anda tidak memiliki atasan langsung: SKP Anda disetujui oleh admin BKPSDM.", "You have no direct supervisor: an admin of BKPSDM approves your SKP."],
  "item": ["RHK {n}", "RHK {n}"],
  "type": ["Jenis RHK", "RHK type"],
  "chooseParent": ["— pilih RHK atasan —", "— choose the supervisor's RHK —"],
  "noParent": ["(tidak ada; hanya untuk RHK tambahan)", "(none; additional RHK only)"],
  "indicatorN": ["Indikator {n}", "Indicator {n}"],
  "addIndicator": ["Tambah indikator", "Add an indicator"],
  "removeIndicator": ["Hapus indikator", "Remove the indicator"],
  "addItem": ["Tambah RHK", "Add an RHK"],
  "removeItem": ["Hapus RHK ini", "Remove this RHK"],
  "save": ["Simpan draf", "Save the draft"],
  "submit": ["Simpan dan ajukan ke atasan", "Save and submit to my supervisor"],
  "saved": ["Draf SKP tersimpan.", "The SKP draft is saved."],
  "submitted": ["SKP diajukan dan menunggu persetujuan atasan.", "The SKP is submitted and awaits approval."],
  "rhkMissing": ["Tulis RHK", "Write the RHK"],
  "parentMissing": ["Pilih RHK atasan yang didukung", "Choose the supervisor's RHK it supports"],
  "descMissing": ["Tulis indikatornya", "Write the indicator"],
  "targetBad": ["Target berupa angka 0 atau lebih", "The target is a number, 0 or more"],
  "unitMissing": ["Isi satuannya (mis. dokumen, %)", "Give the unit (e.g. documents, %)"],
  "returnedNote": ["Dikembalikan oleh atasan: {note}", "Returned by the supervisor: {note}"],
  "decide": ["Keputusan atas SKP ini", "Decision on this SKP"],
  "note": ["Catatan", "Note"],
  "noteHint": ["Wajib bila dikembalikan", "Required when returning it"],
  "approve": ["Setujui SKP", "Approve the SKP"],
  "return": ["Kembalikan untuk diperbaiki", "Return for changes"],
  "approved": ["SKP disetujui.", "The SKP is approved."],
  "returned": ["SKP dikembalikan kepada pegawai.", "The SKP was returned to the employee."],
  "returnNoteMissing": ["Tulis catatan untuk pegawai", "Write a note for the employee"],
  "periods": ["Realisasi dan evaluasi per periode", "Realisation and evaluation per period"],
  "history": ["Riwayat", "History"],
  "action.create": ["dibuat", "drafted"],
  "action.submit": ["diajukan", "submitted"],
  "action.approve": ["disetujui", "approved"],
  "action.return": ["dikembalikan", "returned"],
  "action.revise": ["revisi dibuka", "revision opened"],
  "by": ["oleh {nip}", "by {nip}"],
  "employee": ["Pegawai", "Employee"],
  "status": ["Status", "Status"],
  "revision": ["Revisi", "Revision"],
  "reviseTitle": ["Ubah SKP (revisi)", "Change the SKP (revision)"],
  "reviseHint": ["SKP yang disetujui tetap berlaku sampai revisinya disetujui atasan. Tulis alasan perubahan.",
    "The approved SKP stays in force until your supervisor approves the revision. Say why it changes."],
  "reason": ["Alasan perubahan", "Reason for the change"],
  "reasonMissing": ["Tulis alasan perubahan", "Say why the plan changes"],
  "revise": ["Buka revisi", "Open a revision"],
  "revised": ["Revisi dibuka: ubah RHK lalu ajukan lagi ke atasan.", "Revision opened: change the RHK, then submit it again."],
});

type TP = Parameters<typeof tp>[0];

interface Me {
  nip: string;
  supervisor_nip: string | null;
}

interface DraftIndicator { key: number; id?: string; description: string; target: string; unit: string; aspect: string }
interface DraftItem { key: number; id?: string; type: string; rhk: string; parent_item_id: string; indicators: DraftIndicator[] }

let keys = 0;
const nextKey = () => ++keys;

function toDraft(items: Item[]): DraftItem[] {
  return items.map((i) => ({
    key: nextKey(), id: i.id, type: i.type, rhk: i.rhk, parent_item_id: i.parent_item_id ?? "",
    indicators: i.indicators.map((d) => ({ key: nextKey(), id: d.id, description: d.description, target: String(d.target), unit: d.unit, aspect: d.aspect })),
  }));
}

const blankIndicator = (): DraftIndicator => ({ key: nextKey(), description: "", target: "", unit: "", aspect: "kuantitas" });
const blankItem = (type = "utama"): DraftItem => ({ key: nextKey(), type, rhk: "", parent_item_id: "", indicators: [blankIndicator()] });

export function SkpPlan({ params }: { params: Record<string, string> }) {
  const fresh = params.id === "baru";
  const data = useAsync(async () => {
    const me = await api<Me>(`${IDENTITY}/me`);
    const skp = fresh ? null : await api<Skp>(`${PERFORMANCE}/skp/${encodeURIComponent(params.id)}`);
    const year = skp?.year ?? (Number(current.value.query.get("year")) || thisYear());
    const mine = !skp || skp.nip === me.nip;
    let parents: Item[] = [];
    if (mine && me.supervisor_nip) {
      const theirs = await api<{ items: Skp[] }>(`${PERFORMANCE}/skp?year=${year}&nip=${me.supervisor_nip}`).catch(() => ({ items: [] as Skp[] }));
      parents = theirs.items[0]?.approved?.items ?? [];
    }
    const periods = skp?.approved ? (await api<{ periods: string[] }>(`${PERFORMANCE}/skp-settings/${year}`)).periods : [];
    return { me, skp, year, mine, parents, periods };
  }, [params.id]);

  if (data.error) return <><PageTitle>{t("nav.skp")}</PageTitle><LoadError error={data.error} retry={data.reload} /></>;
  if (!data.data) return <><PageTitle>{t("nav.skp")}</PageTitle><Loading /></>;
  const { me, skp, year, mine, parents, periods } = data.data;
  const editable = mine && (!skp || skp.status === "draft" || skp.status === "returned");
  if (editable) return <Editor skp={skp} year={year} parents={parents} hasSupervisor={!!me.supervisor_nip} onSaved={data.reload} />;
  return <PlanView skp={skp!} mine={mine} periods={skp!.approved ? periods : []} onChange={data.reload} />;
}

function Editor({ skp, year, parents, hasSupervisor, onSaved }: { skp: Skp | null; year: number; parents: Item[]; hasSupervisor: boolean; onSaved: () => void }) {
  const [items, setItems] = useState<DraftItem[]>(() => (skp ? toDraft(skp.items) : [blankItem(hasSupervisor && parents.length ? "utama" : hasSupervisor ? "tambahan" : "utama")]));
  const form = useForm();
  const { errors, busy } = form;

  const change = (key: number, patch: Partial<DraftItem>) => setItems((list) => list.map((i) => (i.key === key ? { ...i, ...patch } : i)));
  const changeIndicator = (item: DraftItem, key: number, patch: Partial<DraftIndicator>) =>
    change(item.key, { indicators: item.indicators.map((d) => (d.key === key ? { ...d, ...patch } : d)) });

  function check(): Record<string, string> {
    const found: Record<string, string> = {};
    items.forEach((item, i) => {
      if (!item.rhk.trim()) found[`items.${i}.rhk`] = tp("rhkMissing");
      if (hasSupervisor && item.type === "utama" && !item.parent_item_id) found[`items.${i}.parent_item_id`] = tp("parentMissing");
      item.indicators.forEach((d, j) => {
        const at = `items.${i}.indicators.${j}`;
        if (!d.description.trim()) found[`${at}.description`] = tp("descMissing");
        const n = Number(d.target.trim().replace(",", "."));
        if (!d.target.trim() || !Number.isFinite(n) || n < 0) found[`${at}.target`] = tp("targetBad");
        if (!d.unit.trim()) found[`${at}.unit`] = tp("unitMissing");
      });
    });
    return found;
  }

  const body = () => items.map((item) => ({
    ...(item.id ? { id: item.id } : {}), type: item.type, rhk: item.rhk.trim(), parent_item_id: item.parent_item_id || null,
    indicators: item.indicators.map((d) => ({ ...(d.id ? { id: d.id } : {}), description: d.description.trim(),
      target: Number(d.target.trim().replace(",", ".")), unit: d.unit.trim(), aspect: d.aspect })),
  }));

  async function save(andSubmit: boolean) {
    await form.submit(check(), async () => {
      const saved = skp
        ? await api<Skp>(`${PERFORMANCE}/skp/${skp.id}`, { method: "PUT", json: { items: body() } })
        : await api<Skp>(`${PERFORMANCE}/skp`, { method: "POST", json: { year, items: body() } });
      if (andSubmit) await api(`${PERFORMANCE}/skp/${saved.id}/submit`, { method: "POST", json: {} });
      navigateWith(andSubmit ? tp("submitted") : tp("saved"), `/skp/${saved.id}`);
      if (skp) onSaved();
    });
  }

  const parentOptions = [{ value: "", label: tp("chooseParent") }, ...parents.map((p) => ({ value: p.id!, label: p.rhk }))];
  return (
    <form onSubmit={(e) => { e.preventDefault(); save(false); }} noValidate>
      <p><a href="/skp">{t("app.back")}</a></p>
      <PageTitle>{skp ? tp("title", { year, name: skp.employee?.name ?? skp.nip }) : tp("newTitle", { year })}</PageTitle>
      {skp && <p><StatusTag status={skp.status} /></p>}
      {skp?.status === "returned" && skp.return_note && <Notice kind="bad" role="status"><p>{tp("returnedNote", { note: skp.return_note })}</p></Notice>}
      <p>{tp("intro")}</p>
      {!hasSupervisor && <Notice><p>{tp("top")}</p></Notice>}
      {hasSupervisor && !parents.length && <Notice><p>{tp("noParents", { year })}</p></Notice>}
      <ErrorSummary items={form.summary} />
      {items.map((item, i) => (
        <fieldset class="rhk" key={item.key} data-testid="rhk-editor">
          <legend><h2 class="no-margin">{tp("item", { n: i + 1 })}</h2></legend>
          <Select id={`items.${i}.type`} label={tp("type")} value={item.type} onValue={(v) => change(item.key, { type: v })} error={errors[`items.${i}.type`]}
            options={[{ value: "utama", label: ts("type.utama") }, { value: "tambahan", label: ts("type.tambahan") }]} />
          <TextArea id={`items.${i}.rhk`} label={ts("rhk")} rows={2} maxLength={2000} error={errors[`items.${i}.rhk`]} value={item.rhk} onValue={(v) => change(item.key, { rhk: v })} />
          {hasSupervisor && (
            <Select id={`items.${i}.parent_item_id`} label={ts("parentRhk")} error={errors[`items.${i}.parent_item_id`]} value={item.parent_item_id}
              onValue={(v) => change(item.key, { parent_item_id: v })}
              options={item.type === "tambahan" ? [{ value: "", label: tp("noParent") }, ...parentOptions.slice(1)] : parentOptions} />
          )}
          {item.indicators.map((d, j) => {
            const at = `items.${i}.indicators.${j}`;
            return (
              <div class="indicator" key={d.key}>
                <h3>{tp("indicatorN", { n: j + 1 })}</h3>
                <TextField id={`${at}.description`} label={ts("indicator")} maxLength={1000} error={errors[`${at}.description`]} value={d.description}
                  onValue={(v) => changeIndicator(item, d.key, { description: v })} />
                <div class="row">
                  <TextField id={`${at}.target`} label={ts("target")} inputMode="decimal" error={errors[`${at}.target`]} value={d.target}
                    onValue={(v) => changeIndicator(item, d.key, { target: v })} />
                  <TextField id={`${at}.unit`} label={ts("unit")} maxLength={50} error={errors[`${at}.unit`]} value={d.unit}
                    onValue={(v) => changeIndicator(item, d.key, { unit: v })} />
                  <Select id={`${at}.aspect`} label={ts("aspect")} value={d.aspect} onValue={(v) => changeIndicator(item, d.key, { aspect: v })}
                    options={ASPECTS.map((a) => ({ value: a, label: ts(`aspect.${a}`) }))} />
                </div>
                {item.indicators.length > 1 && <Button variant="secondary" class="small" onClick={() => change(item.key, { indicators: item.indicators.filter((x) => x.key !== d.key) })}>{tp("removeIndicator")}</Button>}
              </div>
            );
          })}
          <div class="button-group">
            <Button variant="secondary" class="small" onClick={() => change(item.key, { indicators: [...item.indicators, blankIndicator()] })}>{tp("addIndicator")}</Button>
            {items.length > 1 && <Button variant="warning" class="small" onClick={() => setItems(items.filter((x) => x.key !== item.key))}>{tp("removeItem")}</Button>}
          </div>
        </fieldset>
      ))}
      <Button variant="secondary" onClick={() => setItems([...items, blankItem(parents.length || !hasSupervisor ? "utama" : "tambahan")])}>{tp("addItem")}</Button>
      <div class="button-group">
        <Button type="submit" variant="secondary" disabled={busy}>{busy ? t("form.saving") : tp("save")}</Button>
        <Button onClick={() => save(true)} disabled={busy}>{tp("submit")}</Button>
      </div>
    </form>
  );
}

function PlanView({ skp, mine, periods, onChange }: { skp: Skp; mine: boolean; periods: string[]; onChange: () => void }) {
  const [note, setNote] = useState("");
  const form = useForm({ problemField: "note" });
  const { errors, busy } = form;
  const L = lang.value;
  const shown = skp.approved?.items ?? skp.items;
  const canDecide = !mine && skp.status === "submitted";
  const canRevise = mine && skp.status === "approved";
  const [reason, setReason] = useState("");
  const reviseForm = useForm({ problemField: "reason" });

  async function revise() {
    const found: Record<string, string> = {};
    if (!reason.trim()) found.reason = tp("reasonMissing");
    await reviseForm.submit(found, async () => {
      await api(`${PERFORMANCE}/skp/${skp.id}/revisions`, { method: "POST", json: { reason: reason.trim() } });
      navigateWith(tp("revised"), `/skp/${skp.id}`);
      onChange();
    });
  }

  async function decide(approve: boolean) {
    const found: Record<string, string> = {};
    if (!approve && !note.trim()) found.note = tp("returnNoteMissing");
    await form.submit(found, async () => {
      await api(`${PERFORMANCE}/skp/${skp.id}/${approve ? "approve" : "return"}`, { method: "POST", json: { note: note.trim() || (approve ? null : "") } });
      navigateWith(approve ? tp("approved") : tp("returned"), `/skp/${skp.id}`);
      onChange();
    });
  }

  return (
    <>
      <p><a href={mine ? "/skp" : "/skp-tim"}>{t("app.back")}</a></p>
      <PageTitle>{tp("title", { year: skp.year, name: skp.employee?.name ?? skp.nip })}</PageTitle>
      <Summary rows={[
        [tp("employee"), `${skp.employee?.name ?? ""} (${skp.nip})`],
        [tp("status"), <StatusTag status={skp.status} />],
        [tp("revision"), skp.revision],
      ]} />
      {shown.map((item, i) => (
        <section class="rhk" key={item.id ?? i} data-testid="rhk">
          <h2>{tp("item", { n: i + 1 })} · {ts(item.type === "tambahan" ? "type.tambahan" : "type.utama")}</h2>
          <p><strong>{item.rhk}</strong></p>
          {item.parent_rhk && <p class="muted">{ts("parentRhk")}: {item.parent_rhk}</p>}
          <ul>
            {item.indicators.map((d, j) => <li key={d.id ?? j}>{d.description} — {ts("target")}: {d.target} {d.unit} ({ts(`aspect.${d.aspect}` as "aspect.kuantitas")})</li>)}
          </ul>
        </section>
      ))}
      {skp.approved && <p><a href={`/skp/${skp.id}/dokumen`} data-testid="skp-document-link">{ts("document")}</a></p>}
      {canDecide && (
        <form onSubmit={(e) => { e.preventDefault(); decide(true); }} noValidate>
          <h2>{tp("decide")}</h2>
          <ErrorSummary items={form.summary} />
          <TextArea id="note" label={tp("note")} hint={tp("noteHint")} error={errors.note} value={note} onValue={setNote} maxLength={2000} />
          <div class="button-group">
            <Button type="submit" disabled={busy}>{tp("approve")}</Button>
            <Button variant="warning" onClick={() => decide(false)} disabled={busy}>{tp("return")}</Button>
          </div>
        </form>
      )}
      {canRevise && (
        <form onSubmit={(e) => { e.preventDefault(); revise(); }} noValidate data-testid="skp-revise">
          <h2>{tp("reviseTitle")}</h2>
          <p class="muted">{tp("reviseHint")}</p>
          <ErrorSummary items={reviseForm.summary} />
          <TextArea id="reason" label={tp("reason")} error={reviseForm.errors.reason} value={reason} onValue={setReason} maxLength={2000} />
          <Button type="submit" variant="secondary" disabled={reviseForm.busy}>{tp("revise")}</Button>
        </form>
      )}
      {periods.length > 0 && (
        <section aria-labelledby="periods-title">
          <h2 id="periods-title">{tp("periods")}</h2>
          <ul class="menu-list">
            {[...periods, "annual"].map((p) => <li key={p}><a href={`/skp/${skp.id}/periode/${p}`}>{periodText(p)}</a></li>)}
          </ul>
        </section>
      )}
      {skp.history && skp.history.length > 0 && (
        <section aria-labelledby="history-title">
          <h2 id="history-title">{tp("history")}</h2>
          <ul>
            {skp.history.map((h, i) => (
              <li key={i}>{shortDate(h.at.slice(0, 10), L)}: {(["create", "submit", "approve", "return", "revise"].includes(h.action) ? tp(`action.${h.action}` as TP) : h.action)}{" "}
                {tp("by", { nip: h.by })}{h.note ? ` — ${h.note}` : ""}</li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}
