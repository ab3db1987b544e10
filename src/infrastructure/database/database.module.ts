import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Global, Module } from '@nestjs/common';
import { ormConfig } from './mikro-orm.config';
import { DomainEventsSubscriber } from '../../common/events/domain-events.subscriber';

/**
 * MikroORM for the app: entities come from each module's `forFeature` (autoLoadEntities),
 * and every request gets its own entity manager fork (registerRequestContext).
 */
@Global()
@Module({
  imports: [
    MikroOrmModule.forRootAsync({
      useFactory: () => {
        const { entities: _globs, entitiesTs: _tsGlobs, ...rest } = ormConfig();
        return { ...rest, autoLoadEntities: true, registerRequestContext: true };
      },
    }),
  ],
  providers: [DomainEventsSubscriber],
  exports: [DomainEventsSubscriber],
})
export class DatabaseModule {}
