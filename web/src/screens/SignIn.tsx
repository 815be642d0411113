import { useState } from "preact/hooks";
import { signIn } from "../api/client";
import { endReason } from "../api/session";
import { Button, ErrorSummary, Notice, PageTitle, TextField } from "../components/ui";
import { t } from "../i18n";
import { useForm } from "../lib/useForm";

export function SignIn() {
  const [nip, setNip] = useState("");
  const [password, setPassword] = useState("");
  const form = useForm({ problemField: "password", onFailure: () => setPassword("") });
  const { errors, busy } = form;

  async function submit(e: Event) {
    e.preventDefault();
    const cleaned = nip.replace(/\s+/g, "");
    const found: Record<string, string> = {};
    if (!cleaned) found.nip = t("signin.nipMissing");
    else if (!/^\d{18}$/.test(cleaned)) found.nip = t("signin.nipFormat");
    if (!password) found.password = t("signin.passwordMissing");
    await form.submit(found, async () => {
      await signIn(cleaned, password);
      endReason.value = null;
    });
  }

  const summary = form.summary;
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
