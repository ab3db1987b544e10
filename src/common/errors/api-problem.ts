import { ApiResponse } from '@nestjs/swagger';
import { ERROR_STATUS, ErrorCode } from './error-codes';
import { PROBLEM_CONTENT_TYPE } from './problem.filter';

export const PROBLEM_SCHEMA_REF = '#/components/schemas/Problem';

/** The send policy's refusals (API.md), all 422, on every path that sends a message. */
export const SEND_REFUSALS = [
  'whatsapp_window_closed',
  'template_required',
  'template_params_invalid',
  'consent_required',
  'contact_opted_out',
  'recipient_unreachable',
  'processing_restricted',
] as const satisfies readonly ErrorCode[];

/** The shared problem+json schema with `code` narrowed to the codes this response can carry. */
export function problemContent(codes: readonly ErrorCode[]) {
  const schema = { allOf: [{ $ref: PROBLEM_SCHEMA_REF }, { type: 'object', properties: { code: { type: 'string', enum: [...codes] } } }] };
  return { [PROBLEM_CONTENT_TYPE]: { schema } };
}

/** The codes a problem response declares (`problemContent`), or none when it names no enum. */
export function problemCodes(content: unknown): ErrorCode[] {
  const schema = (content as Record<string, { schema?: { allOf?: { properties?: { code?: { enum?: ErrorCode[] } } }[] } }> | undefined)?.[PROBLEM_CONTENT_TYPE]?.schema;
  return schema?.allOf?.flatMap((s) => s.properties?.code?.enum ?? []) ?? [];
}

/**
 * Documents the problem+json answer a route gives with these codes (all of one HTTP status, which
 * comes from the code catalog so the document cannot drift from what the filter renders).
 */
export function ApiProblem(codes: ErrorCode | readonly ErrorCode[], description: string) {
  const list = typeof codes === 'string' ? [codes] : [...codes];
  const status = ERROR_STATUS[list[0]];
  if (list.some((c) => ERROR_STATUS[c] !== status)) throw new Error(`ApiProblem mixes HTTP statuses: ${list.join(', ')}`);
  return ApiResponse({ status, description: `${list.map((c) => `\`${c}\``).join(', ')}: ${description}`, content: problemContent(list) });
}
