import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { applyDecorators } from '@nestjs/common';
import { ApiForbiddenResponse, ApiNotFoundResponse, ApiSecurity, ApiBearerAuth, ApiUnauthorizedResponse, ApiExtension } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Action, Subject } from './permissions';
import type { Principal, RequestCtx } from './request-ctx';
import { UnauthorizedError } from '../errors';

export const PUBLIC_KEY = 'authz:public';
export const PERMISSION_KEY = 'authz:permission';
export const ALLOW_CLOSED_KEY = 'authz:allow-closed';

declare module 'fastify' {
  interface FastifyRequest {
    user?: Principal;
    ctx?: RequestCtx;
  }
}

const problem = { content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } };

/** No authentication (sign-up, login, provider webhooks with their own scheme). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

/** Declares the permission a route needs; the guard checks it and the OpenAPI shows it. */
export const RequirePermission = (action: Action, subject: Subject) =>
  applyDecorators(
    SetMetadata(PERMISSION_KEY, { action, subject }),
    ApiExtension('x-permission', `${action} ${subject}`),
    ApiBearerAuth('bearer'),
    ApiSecurity('api-key'),
    ApiUnauthorizedResponse({ description: 'Missing or invalid credentials', ...problem }),
    ApiForbiddenResponse({ description: `Requires \`${action} ${subject}\``, ...problem }),
    ApiNotFoundResponse({ description: 'Not found in this workspace', ...problem }),
  );

/** Routes that still work while the workspace is closing (GET workspace, restore). */
export const AllowClosedWorkspace = () => SetMetadata(ALLOW_CLOSED_KEY, true);

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
