import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiExtension, ApiSecurity } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Action, Subject } from './permissions';
import type { Principal, RequestCtx } from './request-ctx';
import { ApiProblem, SEND_REFUSALS, UnauthorizedError } from '../errors';

export const PUBLIC_KEY = 'authz:public';
export const PERMISSION_KEY = 'authz:permission';
export const ALLOW_CLOSED_KEY = 'authz:allow-closed';

declare module 'fastify' {
  interface FastifyRequest {
    user?: Principal;
    ctx?: RequestCtx;
  }
}

/** OpenAPI extension on operations that still work while the workspace is closing. */
export const ALLOWED_WHILE_CLOSING = 'x-allowed-while-closing';

/**
 * No JWT or API key (sign-up, login, provider webhooks with their own scheme). `authentication` says
 * how the caller proves itself instead; the OpenAPI shows it as `x-authentication`.
 */
export const Public = (authentication?: string) =>
  applyDecorators(SetMetadata(PUBLIC_KEY, true), ...(authentication ? [ApiExtension('x-authentication', authentication)] : []));

/** Declares the permission a route needs; the guard checks it and the OpenAPI shows it. */
export const RequirePermission = (action: Action, subject: Subject) =>
  applyDecorators(
    SetMetadata(PERMISSION_KEY, { action, subject }),
    ApiExtension('x-permission', `${action} ${subject}`),
    ApiBearerAuth('bearer'),
    ApiSecurity('api-key'),
    ApiProblem('unauthorized', 'Missing or invalid credentials'),
    ApiProblem('forbidden', `Requires \`${action} ${subject}\` (on the route, and on the record for record-level conditions)`),
    ApiProblem('not_found', 'Not found in this workspace'),
    // Every path that sends is guarded by `send Message` and runs the send policy.
    ...(action === 'send' && subject === 'Message' ? [ApiProblem(SEND_REFUSALS, 'the send policy refused the message; nothing was created')] : []),
  );

/**
 * Routes outside any workspace for a signed-in person (`/me`, creating a workspace): no permission
 * to check, and API keys, which act for one workspace, are refused.
 */
export const RequirePerson = () =>
  applyDecorators(
    ApiExtension('x-permission', 'none: any signed-in person'),
    ApiBearerAuth('bearer'),
    ApiProblem('unauthorized', 'Missing or invalid access token'),
    ApiProblem('forbidden', 'API keys act for a workspace, not a person'),
  );

/** Routes that still work while the workspace is closing (GET workspace, restore). */
export const AllowClosedWorkspace = () => applyDecorators(SetMetadata(ALLOW_CLOSED_KEY, true), ApiExtension(ALLOWED_WHILE_CLOSING, true));

/** The request context built by the guard for workspace-scoped routes. */
export const Ctx = createParamDecorator((_: unknown, host: ExecutionContext): RequestCtx => {
  const req = host.switchToHttp().getRequest<FastifyRequest>();
  if (!req.ctx) throw new UnauthorizedError();
  return req.ctx;
});

/** The authenticated principal on routes outside a workspace (/me, POST /workspaces). */
export const CurrentPrincipal = createParamDecorator((_: unknown, host: ExecutionContext): Principal => {
  const req = host.switchToHttp().getRequest<FastifyRequest>();
  if (!req.user) throw new UnauthorizedError();
  return req.user;
});
