import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBase64,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';

export const MAX_ATTACHMENTS = 10;
/** Per attachment, decoded. Bigger ones answer 413 `payload_too_large`. */
export const MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024;
/** Postmark's HtmlBody limit (5 MB), in characters; a longer multi-byte body is Postmark's to refuse. */
const MAX_HTML_LENGTH = 5 * 1024 * 1024;

export class TemplateParametersDto {
  @ApiPropertyOptional({ type: [String] })
  @IsOptional() @IsArray() @ArrayMaxSize(10) @IsString({ each: true }) @MaxLength(1024, { each: true })
  header?: string[];

  @ApiPropertyOptional({ type: [String], example: ['#1042', 'tomorrow'] })
  @IsOptional() @IsArray() @ArrayMaxSize(100) @IsString({ each: true }) @MaxLength(1024, { each: true })
  body?: string[];

  @ApiPropertyOptional({ type: [String] })
  @IsOptional() @IsArray() @ArrayMaxSize(10) @IsString({ each: true }) @MaxLength(256, { each: true })
  buttons?: string[];
}

export class SendTemplateDto {
  @ApiProperty({ example: 'order_update' })
  @IsString() @Matches(/^[a-z0-9_]{1,512}$/, { message: 'name must be lower-case letters, digits and _' })
  name!: string;

  @ApiProperty({ example: 'en_US' })
  @IsString() @Matches(/^[a-z]{2,3}(_[A-Z]{2})?$/, { message: 'language must look like en or en_US' })
  language!: string;

  @ApiPropertyOptional({ type: TemplateParametersDto })
  @IsOptional() @ValidateNested() @Type(() => TemplateParametersDto)
  parameters?: TemplateParametersDto;
}

export class SendAttachmentDto {
  @ApiProperty({ example: 'invoice.pdf' })
  @IsString() @IsNotEmpty() @MaxLength(255)
  filename!: string;

  @ApiProperty({ example: 'application/pdf' })
  @IsString() @Matches(/^[\w.+-]+\/[\w.+-]+$/, { message: 'contentType must be a MIME type' })
  contentType!: string;

  @ApiProperty({ description: 'The file, base64; at most 5 MiB decoded (413 beyond).' })
  @IsBase64() @IsNotEmpty()
  contentBase64!: string;
}

const nothingElse = (o: SendContentDto) => o.html === undefined && o.template === undefined && !(o.attachments?.length);
const NOTHING_TO_SEND = 'one of text, html, template or attachments is required';

/** What to send: text, an HTML email body, a WhatsApp template and/or files (at least one of them). */
export class SendContentDto {
  @ApiPropertyOptional({ example: 'Your order ships tomorrow.', description: "Email: the plain-text body (Postmark's TextBody)." })
  @ValidateIf((o: SendContentDto) => o.text !== undefined || nothingElse(o))
  @IsString({ message: NOTHING_TO_SEND })
  @IsNotEmpty({ message: NOTHING_TO_SEND })
  @MaxLength(65_536)
  text?: string;

  @ApiPropertyOptional({
    example: '<p>Your order ships <b>tomorrow</b>.</p>',
    maxLength: MAX_HTML_LENGTH,
    description:
      "Email only (422 `validation_failed` on other channels): the HTML body, sent as Postmark's `HtmlBody` beside `text` (either alone is enough); shown as `email.htmlBody`. " +
      'At most 5,242,880 characters. Not sanitized: Nanozons stores and sends it byte for byte (no tags or attributes are removed, no CSS is inlined), ' +
      'so the sender is responsible for its content, and clients that render `email.htmlBody` (inbound mail included) must sanitize it themselves.',
  })
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(MAX_HTML_LENGTH)
  html?: string;

  @ApiPropertyOptional({ description: 'Email only; replies default to `Re: <subject of the latest inbound email>`.' })
  @IsOptional() @IsString() @MaxLength(998)
  subject?: string;

  @ApiPropertyOptional({ type: SendTemplateDto, description: 'WhatsApp only: an approved template of the channel.' })
  @IsOptional() @ValidateNested() @Type(() => SendTemplateDto)
  template?: SendTemplateDto;

  @ApiPropertyOptional({ type: [SendAttachmentDto], maxItems: MAX_ATTACHMENTS })
  @IsOptional() @IsArray() @ArrayMaxSize(MAX_ATTACHMENTS) @ValidateNested({ each: true }) @Type(() => SendAttachmentDto)
  attachments?: SendAttachmentDto[];

  @ApiPropertyOptional({ description: 'A message of this conversation on the same channel to quote (WhatsApp context, Telegram reply).' })
  @IsOptional() @IsUUID()
  replyToMessageId?: string;
}

/** A send in a conversation. */
export class SendMessageDto extends SendContentDto {
  @ApiPropertyOptional({ description: "Defaults to the channel of the conversation's latest inbound message." })
  @IsOptional() @IsUUID()
  channelId?: string;
}

/** A business-initiated send to a contact, on a named channel. */
export class SendToContactDto extends SendContentDto {
  @ApiProperty()
  @IsUUID()
  contactId!: string;

  @ApiProperty()
  @IsUUID()
  channelId!: string;
}
