import { applyDecorators, Type } from '@nestjs/common';
import { ApiAcceptedResponse, ApiCreatedResponse, ApiExtraModels, ApiOkResponse, ApiProperty, getSchemaPath } from '@nestjs/swagger';

/** Who did something: a person, an API key, the system (jobs) or a provider (webhooks). */
export class ActorDto {
  @ApiProperty({ enum: ['user', 'api_key', 'system', 'provider'] })
  type!: string;

  @ApiProperty({ description: 'The user, API key or channel id; `system` for jobs', example: '0193b3f2-8c1e-7a45-9d2f-5b6a7c8d9e0f' })
  id!: string;
}

type Status = 200 | 201 | 202;
const BY_STATUS = { 200: ApiOkResponse, 201: ApiCreatedResponse, 202: ApiAcceptedResponse } as const;

/** A JSON 2xx answer whose body is `model` (an `@ApiProperty`-decorated class). */
export const ApiJson = (model: Type<unknown>, description: string, status: Status = 200) => BY_STATUS[status]({ type: model, description });

/**
 * A keyset page `{data: [model], nextCursor}`; `extra` adds top-level properties (consents'
 * `current`). Pass `nextCursor` back as `?cursor=` until it is null.
 */
export function ApiPage(model: Type<unknown>, description: string, extra: Record<string, object> = {}) {
  return applyDecorators(
    ApiExtraModels(model),
    ApiOkResponse({
      description,
      schema: {
        type: 'object',
        required: ['data', 'nextCursor', ...Object.keys(extra)],
        properties: {
          data: { type: 'array', items: { $ref: getSchemaPath(model) } },
          nextCursor: { type: 'string', nullable: true, description: 'Cursor of the next page; null on the last page', example: null },
          ...extra,
        },
      },
    }),
  );
}
