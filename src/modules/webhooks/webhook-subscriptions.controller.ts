import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiCreatedResponse, ApiExtraModels, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Ctx, RequestCtx, RequirePermission } from '../../common/authz';
import { ApiProblem } from '../../common/errors';
import { PageQuery } from '../../common/pagination';
import { Audited } from '../audit';
import { WebhookDeliveryDto, WebhookDeliveryPageDto, WebhookPayloadDto } from './dto/webhook-delivery.dto';
import { CreateWebhookSubscriptionDto, WebhookSubscriptionPageDto, WebhookSubscriptionWithSecretDto } from './dto/webhook-subscription.dto';
import { WebhookDeliveriesService } from './webhook-deliveries.service';
import { WebhookSubscriptionsService } from './webhook-subscriptions.service';

const SIGNING = 'Each delivery POSTs `{id, event, createdAt, workspaceId, data}` with `X-Nanozons-Delivery: <id>` (the same on retries) and `X-Nanozons-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, t + "." + body)>`; failed attempts are retried with exponential backoff and jitter for 24 h.';

@ApiTags('webhooks')
@ApiExtraModels(WebhookPayloadDto)
@Controller('v1/workspaces/:wid/webhook-subscriptions')
export class WebhookSubscriptionsController {
  constructor(
    private readonly subscriptions: WebhookSubscriptionsService,
    private readonly deliveries: WebhookDeliveriesService,
  ) {}

  @Get()
  @RequirePermission('read', 'WebhookSubscription')
  @ApiOperation({ summary: 'List webhook subscriptions, newest first' })
  @ApiOkResponse({ type: WebhookSubscriptionPageDto })
  list(@Ctx() ctx: RequestCtx, @Query() q: PageQuery) {
    return this.subscriptions.list(ctx, q);
  }

  @Post()
  @RequirePermission('create', 'WebhookSubscription')
  @ApiOperation({ summary: 'Subscribe a URL to domain events; `secret` is shown once', description: SIGNING })
  @ApiCreatedResponse({ type: WebhookSubscriptionWithSecretDto })
  create(@Ctx() ctx: RequestCtx, @Body() dto: CreateWebhookSubscriptionDto) {
    return this.subscriptions.create(ctx, dto);
  }

  @Delete(':subscriptionId')
  @HttpCode(204)
  @RequirePermission('delete', 'WebhookSubscription')
  @Audited('webhook_subscription.deleted', 'WebhookSubscription', 'subscriptionId')
  @ApiOperation({ summary: 'Delete a subscription and its delivery log' })
  @ApiNoContentResponse({ description: 'Deleted' })
  async remove(@Ctx() ctx: RequestCtx, @Param('subscriptionId') id: string) {
    await this.subscriptions.remove(ctx, id);
  }

  @Post(':subscriptionId/rotate-secret')
  @HttpCode(200)
  @RequirePermission('update', 'WebhookSubscription')
  @Audited('webhook_subscription.secret_rotated', 'WebhookSubscription', 'subscriptionId')
  @ApiOperation({ summary: 'New signing secret; the old one keeps signing (a second `v1=`) for 24 h' })
  @ApiOkResponse({ type: WebhookSubscriptionWithSecretDto })
  rotateSecret(@Ctx() ctx: RequestCtx, @Param('subscriptionId') id: string) {
    return this.subscriptions.rotateSecret(ctx, id);
  }

  @Get(':subscriptionId/deliveries')
  @RequirePermission('read', 'WebhookSubscription')
  @ApiOperation({ summary: 'The delivery log of a subscription, newest first' })
  @ApiOkResponse({ type: WebhookDeliveryPageDto })
  listDeliveries(@Ctx() ctx: RequestCtx, @Param('subscriptionId') id: string, @Query() q: PageQuery) {
    return this.deliveries.list(ctx, id, q);
  }

  @Post(':subscriptionId/deliveries/:deliveryId/redeliver')
  @HttpCode(202)
  @RequirePermission('update', 'WebhookSubscription')
  @Audited('webhook_delivery.redelivered', 'WebhookDelivery', 'deliveryId')
  @ApiOperation({ summary: 'Send a finished delivery again, under the same delivery id' })
  @ApiAcceptedResponse({ type: WebhookDeliveryDto })
  @ApiProblem('conflict', 'the delivery is still pending (it is retried by itself)')
  redeliver(@Ctx() ctx: RequestCtx, @Param('subscriptionId') id: string, @Param('deliveryId') deliveryId: string) {
    return this.deliveries.redeliver(ctx, id, deliveryId);
  }
}
