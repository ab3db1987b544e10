import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ACTIONS, SUBJECTS } from '../../../common/authz';
import { WorkspaceSettingsDto } from './workspace.dto';

const ID = { format: 'uuid', example: '0193b3f2-8c1e-7a45-9d2f-5b6a7c8d9e0f' } as const;

export class UserResponse {
  @ApiProperty(ID) id!: string;
  @ApiProperty({ format: 'email', example: 'ada@example.com' }) email!: string;
  @ApiProperty({ example: 'Ada Lovelace' }) name!: string;
}

export class WorkspaceResponse {
  @ApiProperty(ID) id!: string;
  @ApiProperty({ example: 'Acme Support' }) name!: string;
  @ApiProperty({ type: String, nullable: true, example: 'Acme Ltd' }) businessName!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'email' }) contactEmail!: string | null;
  @ApiProperty({ type: String, nullable: true, example: '+442071234567' }) contactPhone!: string | null;
  @ApiProperty({ type: String, nullable: true, description: "The billing provider's customer reference" }) billingCustomerRef!: string | null;
  @ApiProperty({ enum: ['active', 'closing'] }) status!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When a closing workspace is deleted' }) deletionDueAt!: Date | null;
  @ApiProperty({ type: WorkspaceSettingsDto }) settings!: WorkspaceSettingsDto;
  @ApiProperty({ format: 'date-time' }) createdAt!: Date;
}

export class WorkspaceClosingResponse {
  @ApiProperty({ enum: ['closing'] }) status!: string;
  @ApiProperty({ format: 'date-time', description: 'Restorable until then' }) deletionDueAt!: Date;
}

export class TokenPairResponse {
  @ApiProperty({ description: 'JWT for `Authorization: Bearer`', example: 'eyJhbGciOiJIUzI1NiJ9…' }) accessToken!: string;
  @ApiProperty({ description: 'Single-use; rotate it at POST /v1/auth/refresh' }) refreshToken!: string;
  @ApiProperty({ description: 'Seconds until the access token expires', example: 900 }) expiresIn!: number;
}

export class LoginResponse extends TokenPairResponse {
  @ApiProperty({ type: UserResponse }) user!: UserResponse;
}

export class SignupResponse extends LoginResponse {
  @ApiProperty({ type: WorkspaceResponse }) workspace!: WorkspaceResponse;
}

export class MembershipSummary {
  @ApiProperty(ID) workspaceId!: string;
  @ApiProperty({ example: 'owner' }) role!: string;
}

export class MeResponse {
  @ApiProperty({ type: UserResponse }) user!: UserResponse;
  @ApiProperty({ type: [MembershipSummary] }) memberships!: MembershipSummary[];
}

export class InvitationToken {
  @ApiProperty({ description: 'Send it to the invitee; accept at POST /v1/invitations/{token}/accept' }) token!: string;
  @ApiProperty({ format: 'date-time' }) expiresAt!: Date;
}

export class MemberResponse {
  @ApiProperty(ID) id!: string;
  @ApiProperty({ ...ID, type: String, nullable: true, description: 'null until an invitee signs up' }) userId!: string | null;
  @ApiProperty({ format: 'email' }) email!: string;
  @ApiProperty({ type: String, nullable: true }) name!: string | null;
  @ApiProperty({ example: 'agent' }) role!: string;
  @ApiProperty({ enum: ['active', 'invited'] }) status!: string;
  @ApiPropertyOptional({ type: InvitationToken, description: 'Only in the answer to an invitation of someone without an account' }) invitation?: InvitationToken;
}

/** The two answers of accepting: a new account (201) or a signed-in person joining (200). */
export class InvitationJoinedResponse {
  @ApiProperty(ID) workspaceId!: string;
  @ApiProperty(ID) memberId!: string;
  @ApiProperty({ enum: ['active'] }) status!: string;
}

export class InvitationSignupResponse {
  @ApiProperty({ type: UserResponse }) user!: UserResponse;
  @ApiProperty() accessToken!: string;
  @ApiProperty() refreshToken!: string;
}

export class PermissionRuleResponse {
  @ApiProperty({ enum: ACTIONS }) action!: string;
  @ApiProperty({ enum: SUBJECTS }) subject!: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'CASL conditions on the record', example: { assigneeId: '${user.id}' } }) conditions?: Record<string, unknown>;
}

export class RoleResponse {
  @ApiProperty(ID) id!: string;
  @ApiProperty({ example: 'supervisor' }) name!: string;
  @ApiProperty({ description: 'owner, admin, agent and viewer are built in and cannot change' }) builtIn!: boolean;
  @ApiProperty({ type: [PermissionRuleResponse] }) permissions!: PermissionRuleResponse[];
}

export class ApiKeyResponse {
  @ApiProperty(ID) id!: string;
  @ApiProperty({ example: 'CRM sync' }) name!: string;
  @ApiProperty({ example: 'agent' }) role!: string;
  @ApiProperty({ description: 'The key’s public prefix, to recognise it', example: 'a1b2c3d4' }) prefix!: string;
  @ApiProperty({ ...ID, type: String, nullable: true }) createdBy!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastUsedAt!: Date | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) expiresAt!: Date | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) revokedAt!: Date | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: Date;
}

export class CreatedApiKeyResponse extends ApiKeyResponse {
  @ApiProperty({ description: 'The secret for `X-API-Key`, shown only in this answer', example: 'nzk_a1b2c3d4_…' }) key!: string;
}
