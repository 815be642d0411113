import { useState } from "preact/hooks";
import { signIn } from "../api/client";
import { endReason } from "../api/session";
import { Button, ErrorSummary, Notice, PageTitle, TextField, type SummaryItem } from "../components/ui";
import { t } from "../i18n";
import { errorText } from "../lib/errors";

export function SignIn() {
  const [nip, setNip] = useState("");
  const [password, setPassword] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: Event) {
    e.preventDefault();
    const cleaned = nip.replace(/\s+/g, "");
    const found: Record<string, string> = {};
    if (!cleaned) found.nip = t("signin.nipMissing");
    else if (!/^\d{18}$/.test(cleaned)) found.nip = t("signin.nipFormat");
    if (!password) found.password = t("signin.passwordMissing");
    setErrors(found);
    setProblem(null);
    if (Object.keys(found).length) return;
    setBusy(true);
    try {
      await signIn(cleaned, password);
      endReason.value = null;
    } catch (err) {
      setProblem(errorText(err));
      setPassword("");
    } finally {
      setBusy(false);
    }
  }

  const summary: SummaryItem[] = problem ? [{ text: problem, field: "password" }]
    : Object.entries(errors).map(([field, text]) => ({ field, text }));
  return (
    <form onSubmit={submit} noValidate>
      <PageTitle>{t("signin.title")}</PageTitle>
      {endReason.value === "expired" && !summary.length && <Notice>{t("app.sessionEnded")}</Notice>}
      <ErrorSummary items={summary} />
      <p>{t("signin.intro")}</p>
      <TextField id="nip" label={t("signin.nip")} hint={t("signin.nipHint")} error={errors.nip} value={nip} onValue={setNip}
        inputMode="numeric" autoComplete="username" spellcheck={false} />
      <TextField id="password" type="password" label={t("signin.password")} error={errors.password} value={password}
        onValue={setPassword} autoComplete="current-password" />
      <Button type="submit" disabled={busy}>{busy ? t("signin.busy") : t("signin.submit")}</Button>
      <p class="muted small">{t("signin.forgot")}</p>
      <p class="small"><a href="/tentang">{t("about.title")}</a></p>
    </form>
  );
}
