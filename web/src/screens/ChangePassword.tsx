import { useState } from "preact/hooks";
import { changePassword } from "../api/client";
import { session } from "../api/session";
import { Button, ErrorSummary, PageTitle, TextField } from "../components/ui";
import { t } from "../i18n";
import { useForm } from "../lib/useForm";
import { navigate } from "../lib/router";

export function ChangePassword() {
  const [old, setOld] = useState("");
  const [next, setNext] = useState("");
  const [again, setAgain] = useState("");
  const form = useForm();
  const { errors, busy } = form;

  async function submit(e: Event) {
    e.preventDefault();
    const found: Record<string, string> = {};
    if (!old) found.old_password = t("pwd.oldMissing");
    if (next.length < 10) found.new_password = t("pwd.tooShort");
    else if (next !== again) found.new_password_again = t("pwd.mismatch");
    await form.submit(found, async () => {
      await changePassword(old, next);
      navigate("/", { replace: true });
    });
  }

  const summary = form.summary;
  return (
    <form onSubmit={submit} noValidate>
      <PageTitle>{t("pwd.title")}</PageTitle>
      <ErrorSummary items={summary} />
      {session.value?.principal.pcr && <p>{t("pwd.intro")}</p>}
      <TextField id="old_password" type="password" label={t("pwd.old")} error={errors.old_password} value={old} onValue={setOld}
        autoComplete="current-password" />
      <TextField id="new_password" type="password" label={t("pwd.new")} hint={t("pwd.newHint")} error={errors.new_password}
        value={next} onValue={setNext} autoComplete="new-password" />
      <TextField id="new_password_again" type="password" label={t("pwd.confirm")} error={errors.new_password_again}
        value={again} onValue={setAgain} autoComplete="new-password" />
      <Button type="submit" disabled={busy}>{busy ? t("form.saving") : t("pwd.submit")}</Button>
    </form>
  );
}
