import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import { PageQuery } from '../../../common/pagination';
import { ARTIFACT_KINDS, ARTIFACT_STATUSES, type ArtifactKind, type ArtifactStatus } from '../entities/ai-artifact.entity';

export class CreateDraftDto {
  @ApiPropertyOptional({ example: 'Offer a 10% voucher and apologise for the delay.', description: "The agent's wish; appended to the prompt as the agent's words, never as system text" })
  @IsOptional() @IsString() @MinLength(1) @MaxLength(2000)
  instructions?: string;
}

export class UpdateArtifactDto {
  @ApiProperty({ description: "The draft's new text; the earlier versions stay in `history`" })
  @IsString() @MinLength(1) @MaxLength(20_000)
  content!: string;
}

export class ApproveDraftDto {
  @ApiPropertyOptional({ description: "Defaults to the channel of the conversation's latest inbound message." })
  @IsOptional() @IsUUID()
  channelId?: string;
}

export class ArtifactQuery extends PageQuery {
  @ApiPropertyOptional({ description: "Only this conversation's artifacts" })
  @IsOptional() @IsUUID()
  conversationId?: string;

  @ApiPropertyOptional({ enum: ARTIFACT_KINDS })
  @IsOptional() @IsIn(ARTIFACT_KINDS)
  kind?: ArtifactKind;

  @ApiPropertyOptional({ enum: ARTIFACT_STATUSES })
  @IsOptional() @IsIn(ARTIFACT_STATUSES)
  status?: ArtifactStatus;
}
