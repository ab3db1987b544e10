import { ApiProperty } from '@nestjs/swagger';
import { IsOptional, IsString, Matches } from 'class-validator';

export class StreamTokenDto {
  @ApiProperty({ example: 'nzs_…', description: 'Pass as `?token=` to GET …/events/stream; valid 60 s, this workspace only' })
  token!: string;

  @ApiProperty({ format: 'date-time' })
  expiresAt!: Date;
}

export class EventsStreamQuery {
  @ApiProperty({ required: false, description: 'A stream token from POST …/events/stream-tokens (for EventSource clients, instead of a header)' })
  @IsOptional() @IsString()
  token?: string;

  @ApiProperty({ required: false, example: '1765090000000-0', description: 'Resume after this event (same as the `Last-Event-ID` header, which wins)' })
  @IsOptional() @IsString() @Matches(/^\d{1,15}-\d{1,10}$/, { message: 'lastEventId must be an event id from the stream' })
  lastEventId?: string;
}

/** One `data:` line of the stream (documentation; the `event:` field repeats `event`). */
export class StreamEventDto {
  @ApiProperty({ example: '1765090000000-0', description: 'Also the SSE `id:`, for `Last-Event-ID`' }) id!: string;
  @ApiProperty({ example: 'message.received' }) event!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The event payload: ids of what changed' }) data!: Record<string, unknown>;
}
