import { IsIn, IsOptional, IsString } from 'class-validator';
import { SANDBOX_PROVIDERS, SandboxProvider } from '../core/sandbox.types';

export class ListRequestsQuery {
  @IsOptional() @IsIn(SANDBOX_PROVIDERS)
  provider?: SandboxProvider;

  /** ISO 8601 time or epoch milliseconds; requests received at or after it. */
  @IsOptional() @IsString()
  since?: string;
}
