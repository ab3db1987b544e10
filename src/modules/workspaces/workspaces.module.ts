import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { WORKSPACE_ACCESS, WorkspaceGuard } from '../../common/authz';
import { apiOnly } from '../../common/queues';
import { FailedAuthLimit, PreGuardRateLimitHook, RateLimitCaller, RateLimiter, RateLimitGuard, WorkspaceRateLimitGuard } from '../../common/rate-limit';
import { AppConfig } from '../../config';
import { ApiKeysController } from './api-keys.controller';
import { ApiKeysService } from './api-keys.service';
import { AccessTokenReader } from './auth/access-token.reader';
import { ApiAuthGuard } from './auth/api-auth.guard';
import { RevokedSessions } from './auth/revoked-sessions';
import { ApiKeyStrategy } from './auth/api-key.strategy';
import { AuthController } from './auth/auth.controller';
import { AuthService } from './auth/auth.service';
import { JwtStrategy } from './auth/jwt.strategy';
import { PersonAuditService } from './auth/person-audit.service';
import { TokensService, ACCESS_TOKEN_TTL_SECONDS } from './auth/tokens.service';
import { ApiKey } from './entities/api-key.entity';
import { Invitation } from './entities/invitation.entity';
import { Membership } from './entities/membership.entity';
import { RefreshToken } from './entities/refresh-token.entity';
import { Role } from './entities/role.entity';
import { User } from './entities/user.entity';
import { Workspace } from './entities/workspace.entity';
import { InvitationsController } from './invitations.controller';
import { InvitationsService } from './invitations.service';
import { MembersController } from './members.controller';
import { MembersService } from './members.service';
import { RolesController } from './roles.controller';
import { RolesService } from './roles.service';
import { WorkspaceAccessService } from './workspace-access.service';
import { WorkspacesController } from './workspaces.controller';
import { WorkspacesService } from './workspaces.service';
import { WorkspacesRetentionService } from './workspaces-retention.service';

@Module({
  imports: [
    MikroOrmModule.forFeature([User, Workspace, Role, Membership, Invitation, ApiKey, RefreshToken]),
    PassportModule,
    JwtModule.registerAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        // A KeyObject works at runtime (jsonwebtoken 9); the option's type only names string | Buffer.
        secret: config.jwtKey as unknown as string,
        signOptions: { algorithm: 'HS256', expiresIn: ACCESS_TOKEN_TTL_SECONDS },
        verifyOptions: { algorithms: ['HS256'] },
      }),
    }),
  ],
  controllers: apiOnly(AuthController, WorkspacesController, MembersController, InvitationsController, RolesController, ApiKeysController),
  providers: [
    AuthService,
    TokensService,
    PersonAuditService,
    AccessTokenReader,
    RevokedSessions,
    WorkspacesService,
    WorkspacesRetentionService,
    MembersService,
    InvitationsService,
    RolesService,
    ApiKeysService,
    WorkspaceAccessService,
    JwtStrategy,
    ApiKeyStrategy,
    RateLimiter,
    RateLimitCaller,
    FailedAuthLimit,
    PreGuardRateLimitHook,
    { provide: WORKSPACE_ACCESS, useExisting: WorkspaceAccessService },
    // Order matters: count the call, authenticate it, resolve tenancy and permission, then
    // count it against the workspace it was let into.
    { provide: APP_GUARD, useClass: RateLimitGuard },
    { provide: APP_GUARD, useClass: ApiAuthGuard },
    { provide: APP_GUARD, useClass: WorkspaceGuard },
    { provide: APP_GUARD, useClass: WorkspaceRateLimitGuard },
  ],
  exports: [WorkspacesService, WorkspacesRetentionService, WORKSPACE_ACCESS],
})
export class WorkspacesModule {}
