import { applyDecorators } from '@nestjs/common';
import { ApiNotFoundResponse, ApiTags } from '@nestjs/swagger';

/** Said on every documented sandbox route: it exists only in development. */
export const SANDBOX_ONLY = 'Mounted only with SANDBOX=true (development; unauthenticated).';

/** A sandbox controller in the OpenAPI document: its tag, and the 404 of a server without the sandbox. */
export const SandboxDocs = () =>
  applyDecorators(ApiTags('sandbox'), ApiNotFoundResponse({ description: 'SANDBOX is not true, so nothing is mounted under /sandbox (or: no such channel)' }));
