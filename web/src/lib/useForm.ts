/** The plumbing every form shares: check the fields, send, and put what went wrong next to the
 * field (a 422's per-field messages) or at the top (any other refusal), in words. */
import { useState } from "preact/hooks";
import type { SummaryItem } from "../components/ui";
import { errorText, fieldErrors, type ErrorContext } from "./errors";

export interface FormState {
  errors: Record<string, string>;
  busy: boolean;
  /** What the error summary lists: the refusal, or one line per field linking to it. */
  summary: SummaryItem[];
  /** Show `found` (the fields' own checks); when there is nothing, run `send`. */
  submit: (found: Record<string, string>, send: () => Promise<unknown>) => Promise<void>;
}

export function useForm(opts: { ctx?: ErrorContext; problemField?: string; onFailure?: () => void } = {}): FormState {
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(found: Record<string, string>, send: () => Promise<unknown>) {
    setErrors(found);
    setProblem(null);
    if (Object.keys(found).length) return;
    setBusy(true);
    try {
      await send();
    } catch (err) {
      const byField = fieldErrors(err);
      setErrors(byField);
      setProblem(Object.keys(byField).length ? null : errorText(err, opts.ctx));
      opts.onFailure?.();
    } finally {
      setBusy(false);
    }
  }

  const summary = problem ? [{ text: problem, field: opts.problemField }]
    : Object.entries(errors).map(([field, text]) => ({ field, text }));
  return { errors, busy, summary, submit };
}
