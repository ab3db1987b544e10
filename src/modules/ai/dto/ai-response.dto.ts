import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ARTIFACT_KINDS, ARTIFACT_STATUSES } from '../entities/ai-artifact.entity';

export class ActorDto {
  @ApiProperty({ enum: ['user', 'api_key', 'system', 'provider'] })
  type!: string;

  @ApiProperty()
  id!: string;
}

export class ArtifactRevisionDto {
  @ApiProperty()
  content!: string;

  @ApiProperty({ format: 'date-time' })
  at!: string;

  @ApiProperty({ type: ActorDto, nullable: true, description: 'null for the model’s text, else who edited' })
  by!: ActorDto | null;
}

export class ArtifactUsageDto {
  @ApiProperty({ type: 'integer', nullable: true })
  tokensIn!: number | null;

  @ApiProperty({ type: 'integer', nullable: true })
  tokensOut!: number | null;

  @ApiProperty({ type: 'integer', nullable: true, description: 'Provider time over all attempts' })
  latencyMs!: number | null;
}

export class AiArtifactDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  conversationId!: string;

  @ApiProperty({ enum: ARTIFACT_KINDS })
  kind!: string;

  @ApiProperty({ enum: ARTIFACT_STATUSES })
  status!: string;

  @ApiProperty({ type: 'string', nullable: true, description: 'null while pending or when failed' })
  content!: string | null;

  @ApiProperty({ type: [String], description: 'Ids of the messages the text was built from' })
  sources!: string[];

  @ApiProperty({ type: [ArtifactRevisionDto], description: 'The model’s text first, then each edit' })
  history!: ArtifactRevisionDto[];

  @ApiProperty({ type: 'string', nullable: true })
  instructions!: string | null;

  @ApiProperty({ type: 'string', nullable: true, description: 'The customer’s language (ISO 639-1), detected' })
  language!: string | null;

  @ApiPropertyOptional({ description: 'Why it failed' })
  reason?: string;

  @ApiProperty({ example: 'openai-compatible', description: '`openai-compatible` or `local`' })
  provider!: string;

  @ApiProperty({ example: 'gpt-4o-mini' })
  model!: string;

  @ApiProperty({ type: ArtifactUsageDto })
  usage!: ArtifactUsageDto;

  @ApiProperty({ type: ActorDto })
  requestedBy!: ActorDto;

  @ApiPropertyOptional({ type: ActorDto })
  approvedBy?: ActorDto;

  @ApiPropertyOptional({ format: 'date-time' })
  approvedAt?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The message an approval sent' })
  messageId?: string;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;
}

export class AiArtifactPageDto {
  @ApiProperty({ type: [AiArtifactDto] })
  data!: AiArtifactDto[];

  @ApiProperty({ type: 'string', nullable: true })
  nextCursor!: string | null;
}

/** The outbound message an approval queued (the full message shape is GET …/messages/{messageId}). */
export class ApprovedMessageDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  conversationId!: string;

  @ApiProperty({ format: 'uuid' })
  channelId!: string;

  @ApiProperty({ example: 'outbound' })
  direction!: string;

  @ApiProperty()
  type!: string;

  @ApiProperty({ type: 'string', nullable: true, description: 'The text sent: the draft as approved' })
  text!: string | null;

  @ApiProperty({ example: 'queued' })
  status!: string;

  @ApiProperty({ example: true })
  aiAssisted!: boolean;

  @ApiProperty({ format: 'uuid' })
  aiArtifactId!: string;

  @ApiProperty({ type: ActorDto })
  approvedBy!: ActorDto;

  @ApiProperty({ type: ActorDto })
  author!: ActorDto;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;
}
