import { Global, Module } from '@nestjs/common';
import { PersonalDataRegistry } from './privacy';
import { UsageMeter } from './usage/usage-meter';

/** Cross-module seams every domain module may inject: the usage meter and the personal-data registry. */
@Global()
@Module({ providers: [UsageMeter, PersonalDataRegistry], exports: [UsageMeter, PersonalDataRegistry] })
export class CommonSeamsModule {}
