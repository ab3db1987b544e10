import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Allow, IsIn, IsInt, IsNotEmpty, IsObject, IsOptional, IsString, Max, Min, ValidateIf } from 'class-validator';
import { SANDBOX_PROVIDERS, SandboxProvider } from '../core/sandbox.types';

export class CreateFaultDto {
  @ApiProperty({ enum: SANDBOX_PROVIDERS, description: 'The fake that answers with this fault' })
  @IsIn(SANDBOX_PROVIDERS)
  provider: SandboxProvider;

  @ApiPropertyOptional({ minimum: 100, maximum: 599, description: 'HTTP status to answer with; required unless `delayMs` is given (then omitted = answer normally after the delay)', example: 503 })
  @ValidateIf((f: CreateFaultDto) => f.status !== undefined || f.delayMs === undefined)
  @IsInt() @Min(100) @Max(599)
  status?: number;

  @ApiPropertyOptional({ description: "Any JSON value to answer with (with `status`); omitted: the provider's own error shape for `status`" })
  @Allow()
  body?: unknown;

  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' }, description: 'Response headers, e.g. Retry-After' })
  @IsOptional() @IsObject()
  headers?: Record<string, string>;

  @ApiPropertyOptional({ minimum: 1, maximum: 1000, description: 'How many matching requests get the fault (default 1)' })
  @IsOptional() @IsInt() @Min(1) @Max(1000)
  times?: number;

  @ApiPropertyOptional({ description: 'Only requests whose path (tokens redacted, query included) contains this text' })
  @IsOptional() @IsString() @IsNotEmpty()
  match?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 120_000, description: 'Answer only after this many milliseconds (a slow provider)' })
  @IsOptional() @IsInt() @Min(1) @Max(120_000)
  delayMs?: number;
}
