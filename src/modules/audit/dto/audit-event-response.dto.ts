import { ApiProperty } from '@nestjs/swagger';
import { ActorDto } from '../../../common/openapi';

export class AuditEventResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ type: ActorDto }) actor!: ActorDto;
  @ApiProperty({ example: 'member.invited' }) action!: string;
  @ApiProperty({ type: String, nullable: true, example: 'Member' }) subjectType!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) subjectId!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true, description: 'What changed, secrets redacted', example: { role: 'agent' } }) changes!: Record<string, unknown> | null;
  @ApiProperty({ type: String, nullable: true, example: '203.0.113.7' }) ip!: string | null;
  @ApiProperty({ type: String, nullable: true }) requestId!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: Date;
}
