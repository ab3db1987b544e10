import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { SANDBOX_PROVIDERS, SandboxProvider } from '../core/sandbox.types';
import { CreateFaultDto } from './create-fault.dto';

export class SandboxRecordedRequestDto {
  @ApiProperty({ description: 'Increasing per process' }) seq!: number;
  @ApiProperty({ enum: SANDBOX_PROVIDERS }) provider!: SandboxProvider;
  @ApiProperty({ example: 'POST' }) method!: string;
  @ApiProperty({ description: 'Path and query as received, bot tokens and access_token values redacted' }) path!: string;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, description: 'Lower-cased names' }) headers!: Record<string, string>;
  @ApiProperty({ description: 'Parsed JSON or form; multipart files as {filename, contentType, size, sha256}' }) body!: unknown;
  @ApiPropertyOptional({ description: 'HTTP status the fake answered with' }) status?: number;
  @ApiProperty({ format: 'date-time' }) at!: string;
}

export class SandboxRequestListDto {
  @ApiProperty({ type: [SandboxRecordedRequestDto] }) data!: SandboxRecordedRequestDto[];
}

export class SandboxFaultDto extends CreateFaultDto {
  @ApiProperty() id!: number;
  @ApiProperty({ description: 'Matching requests that still get this fault' }) remaining!: number;
}

export class SandboxFaultListDto {
  @ApiProperty({ type: [SandboxFaultDto] }) data!: SandboxFaultDto[];
}
