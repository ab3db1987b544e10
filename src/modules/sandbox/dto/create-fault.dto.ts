import { Allow, IsIn, IsInt, IsNotEmpty, IsObject, IsOptional, IsString, Max, Min, ValidateIf } from 'class-validator';
import { SANDBOX_PROVIDERS, SandboxProvider } from '../core/sandbox.types';

export class CreateFaultDto {
  @IsIn(SANDBOX_PROVIDERS)
  provider: SandboxProvider;

  /** Required unless `delayMs` is given (then omitted = answer normally after the delay). */
  @ValidateIf((f: CreateFaultDto) => f.status !== undefined || f.delayMs === undefined)
  @IsInt() @Min(100) @Max(599)
  status?: number;

  /** Any JSON value (with `status`); omitted → a provider-shaped error for `status`. */
  @Allow()
  body?: unknown;

  @IsOptional() @IsObject()
  headers?: Record<string, string>;

  @IsOptional() @IsInt() @Min(1) @Max(1000)
  times?: number;

  @IsOptional() @IsString() @IsNotEmpty()
  match?: string;

  /** Answer only after this many milliseconds (a slow provider). */
  @IsOptional() @IsInt() @Min(1) @Max(120_000)
  delayMs?: number;
}
