/** What a failed API call leaves: the uniform error body of every service and the gateway
 * ({code, status, message, error, errors?, ...details}), or no answer at all. */

export class ApiFailure extends Error {
  readonly status: number;
  /** The machine-readable `error` code ("outside_geofence"); "network" when nothing came back. */
  readonly code: string;
  /** The server's own (English) sentence, used when the code has no text of ours. */
  readonly serverMessage: string;
  readonly details: Record<string, unknown>;
  /** marshmallow's per-field messages: {field: ["..."]} (nested dicts flattened with dots). */
  readonly fields: Record<string, string[]>;

  constructor(status: number, code: string, serverMessage = "", details: Record<string, unknown> = {},
    fields: Record<string, string[]> = {}) {
    super(`${status} ${code}`);
    this.status = status;
    this.code = code;
    this.serverMessage = serverMessage;
    this.details = details;
    this.fields = fields;
  }

  get network(): boolean {
    return this.code === "network";
  }
}

export function networkFailure(): ApiFailure {
  return new ApiFailure(0, "network");
}

function flattenFields(errors: unknown, prefix = "", out: Record<string, string[]> = {}): Record<string, string[]> {
  if (!errors || typeof errors !== "object") return out;
  for (const [key, value] of Object.entries(errors as Record<string, unknown>)) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (Array.isArray(value)) {
      const texts = value.filter((v): v is string => typeof v === "string");
      if (texts.length) out[name] = texts;
      value.filter((v) => v && typeof v === "object").forEach((v) => flattenFields(v, name, out));
    } else if (typeof value === "string") {
      out[name] = [value];
    } else {
      flattenFields(value, name, out);
    }
  }
  return out;
}

/** Turn any answer that is not a success into an ApiFailure; never throws on odd bodies. */
export function failureFrom(status: number, body: unknown): ApiFailure {
  if (!body || typeof body !== "object" || Array.isArray(body)) return new ApiFailure(status, `http_${status}`);
  const { code: _c, status: _s, message, error, errors, request_id: _r, ...details } = body as Record<string, unknown>;
  const code = typeof error === "string" && /^[a-z_]{2,64}$/.test(error) ? error : `http_${status}`;
  // webargs nests query/body errors under the location ("json", "query", "form", "files").
  let fieldErrors = (errors && typeof errors === "object") ? errors as Record<string, unknown> : {};
  const locations = ["json", "query", "form", "files", "path"];
  if (Object.keys(fieldErrors).length && Object.keys(fieldErrors).every((k) => locations.includes(k))) {
    fieldErrors = Object.assign({}, ...Object.values(fieldErrors)) as Record<string, unknown>;
  }
  return new ApiFailure(status, code, typeof message === "string" ? message : "", details, flattenFields(fieldErrors));
}
