import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsObject, IsOptional, IsString, Matches, registerDecorator, ValidationArguments } from 'class-validator';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export class UsageQuery {
  @ApiPropertyOptional({ example: '2026-12-01', description: 'First day (UTC), inclusive; default 29 days before `to`' })
  @IsOptional() @Matches(DATE, { message: 'from must be a date YYYY-MM-DD' })
  from?: string;

  @ApiPropertyOptional({ example: '2026-12-07', description: 'Last day (UTC), inclusive; default today. At most 366 days after `from`' })
  @IsOptional() @Matches(DATE, { message: 'to must be a date YYYY-MM-DD' })
  to?: string;
}

export const EVENT_NAME = /^[a-z][a-z0-9_.:-]{0,63}$/;
export const MAX_PROPERTIES = 20;
export const MAX_PROPERTY_KEY = 64;
export const MAX_PROPERTY_STRING = 256;

/** Flat properties only: at most 20 keys, each a short name, each value a short string, a number, a boolean or null. */
function IsBoundedProperties() {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isBoundedProperties',
      target: target.constructor,
      propertyName,
      validator: {
        validate(value: unknown) {
          if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
          const entries = Object.entries(value);
          return (
            entries.length <= MAX_PROPERTIES &&
            entries.every(
              ([k, v]) =>
                /^[A-Za-z][A-Za-z0-9_.-]*$/.test(k) &&
                k.length <= MAX_PROPERTY_KEY &&
                (v === null || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v)) || (typeof v === 'string' && v.length <= MAX_PROPERTY_STRING)),
            )
          );
        },
        defaultMessage: (args?: ValidationArguments) =>
          `${args?.property ?? 'properties'} must be a flat object of at most ${MAX_PROPERTIES} keys (letters, digits, _ . -; up to ${MAX_PROPERTY_KEY} characters) with string (up to ${MAX_PROPERTY_STRING} characters), number, boolean or null values`,
      },
    });
}

export class UsageEventDto {
  @ApiProperty({ example: 'page_view', description: 'Lower-case letters, digits and _ . : -, starting with a letter, up to 64 characters' })
  @IsString() @Matches(EVENT_NAME, { message: 'name must match ^[a-z][a-z0-9_.:-]{0,63}$' })
  name!: string;

  @ApiPropertyOptional({ example: { page: 'inbox', durationMs: 1200 }, description: `At most ${MAX_PROPERTIES} flat properties` })
  @IsOptional() @IsObject() @IsBoundedProperties()
  properties?: Record<string, string | number | boolean | null>;
}

export class UsageEventAcceptedView {
  @ApiProperty({ example: 'page_view' }) name!: string;
  @ApiProperty({ description: 'Buffered; written with the next periodic flush' }) acceptedAt!: Date;
}

export class ChannelCountsView {
  @ApiProperty() email!: number;
  @ApiProperty() whatsapp!: number;
  @ApiProperty() telegram!: number;
}

export class AiDraftCountsView {
  @ApiProperty() approvedUnedited!: number;
  @ApiProperty() approvedEdited!: number;
  @ApiProperty() discarded!: number;
}

export class UsageDayView {
  @ApiProperty({ example: '2026-12-07' }) date!: string;
  @ApiProperty({ type: ChannelCountsView }) messagesIn!: ChannelCountsView;
  @ApiProperty({ type: ChannelCountsView }) messagesOut!: ChannelCountsView;
  @ApiProperty() deliveryFailures!: number;
  @ApiProperty() aiRequests!: number;
  @ApiProperty({ type: AiDraftCountsView }) aiDrafts!: AiDraftCountsView;
  @ApiProperty() apiCalls!: number;
  @ApiProperty({ description: 'Distinct people who called the API in the workspace that day' }) activeMembers!: number;
}

export class UsageView {
  @ApiProperty({ type: [UsageDayView] }) data!: UsageDayView[];
}
