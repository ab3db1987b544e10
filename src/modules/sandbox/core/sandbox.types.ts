/** The providers the sandbox fakes; `whatsapp` is the Graph (Cloud API) fake. */
export const SANDBOX_PROVIDERS = ['postmark', 'whatsapp', 'telegram'] as const;
export type SandboxProvider = (typeof SANDBOX_PROVIDERS)[number];

/** A file part of a multipart request. */
export interface SandboxUpload {
  field: string;
  filename: string;
  contentType: string;
  data: Buffer;
}

/** One request to a fake, already parsed; what the provider handlers work on. */
export interface SandboxInput {
  method: string;
  /** Path without the query string, still percent-encoded. */
  path: string;
  query: Record<string, string>;
  /** Header names lower-cased; repeated headers joined with ", ". */
  headers: Record<string, string>;
  bodyKind: 'json' | 'form' | 'multipart' | 'none' | 'other';
  /** JSON object, urlencoded form or the multipart text fields ({} when the body is none of these). */
  fields: Record<string, unknown>;
  files: Record<string, SandboxUpload>;
  /** `protocol://host` the caller used, for absolute URLs in answers (media download links). */
  origin: string;
}

export interface SandboxJsonResult {
  status: number;
  json: unknown;
  headers?: Record<string, string>;
}

export interface SandboxBytesResult {
  status: number;
  bytes: Buffer;
  contentType: string;
  headers?: Record<string, string>;
}

export type SandboxResult = SandboxJsonResult | SandboxBytesResult;
