import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString } from 'class-validator';
import { SANDBOX_PROVIDERS, SandboxProvider } from '../core/sandbox.types';

export class ListRequestsQuery {
  @ApiPropertyOptional({ enum: SANDBOX_PROVIDERS })
  @IsOptional() @IsIn(SANDBOX_PROVIDERS)
  provider?: SandboxProvider;

  @ApiPropertyOptional({ description: 'ISO 8601 time or epoch milliseconds; requests received at or after it' })
  @IsOptional() @IsString()
  since?: string;
}
