import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { apiOnly } from '../../common/queues';
import { ApiCallsInterceptor } from './api-calls.interceptor';
import { UsageSampleListener } from './listeners/usage-sample.listener';
import { UsageBuffer } from './usage-buffer.service';
import { UsageController } from './usage.controller';
import { UsageService } from './usage.service';
import { USAGE_BUFFER } from './usage.tokens';

/** Usage analytics: counters from every module (UsageMeter), API calls, client events; batched writes. */
@Module({
  controllers: apiOnly(UsageController),
  providers: [
    UsageBuffer,
    UsageService,
    UsageSampleListener,
    { provide: APP_INTERCEPTOR, useClass: ApiCallsInterceptor },
    { provide: USAGE_BUFFER, useExisting: UsageBuffer },
  ],
})
export class UsageModule {}
