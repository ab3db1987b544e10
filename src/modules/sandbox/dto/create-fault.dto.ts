import { Allow, IsIn, IsInt, IsNotEmpty, IsObject, IsOptional, IsString, Max, Min } from 'class-validator';
import { SANDBOX_PROVIDERS, SandboxProvider } from '../core/sandbox.types';

export class CreateFaultDto {
  @IsIn(SANDBOX_PROVIDERS)
  provider: SandboxProvider;

  @IsInt() @Min(100) @Max(599)
  status: number;

  /** Any JSON value; omitted → a provider-shaped error for `status`. */
  @Allow()
  body?: unknown;

  @IsOptional() @IsObject()
  headers?: Record<string, string>;

  @IsOptional() @IsInt() @Min(1) @Max(1000)
  times?: number;

  @IsOptional() @IsString() @IsNotEmpty()
  match?: string;
}
