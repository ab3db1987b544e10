import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Global, Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { apiOnly } from '../../common/queues';
import { AuditController } from './audit.controller';
import { AuditInterceptor } from './audit.interceptor';
import { AuditService } from './audit.service';
import { AuditEvent } from './entities/audit-event.entity';
import { AuditPersonalDataHolder } from './privacy/audit-personal-data.holder';

@Global()
@Module({
  imports: [MikroOrmModule.forFeature([AuditEvent])],
  controllers: apiOnly(AuditController),
  providers: [AuditService, AuditPersonalDataHolder, { provide: APP_INTERCEPTOR, useClass: AuditInterceptor }],
  exports: [AuditService],
})
export class AuditModule {}
