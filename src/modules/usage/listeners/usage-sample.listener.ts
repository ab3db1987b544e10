import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { USAGE_SAMPLE_EVENT, UsageSample } from '../../../common/usage';
import { UsageBuffer } from '../usage-buffer.service';

/** Every module's UsageMeter.record lands here, in memory, until the next flush. */
@Injectable()
export class UsageSampleListener {
  constructor(private readonly buffer: UsageBuffer) {}

  @OnEvent(USAGE_SAMPLE_EVENT)
  onSample(sample: UsageSample) {
    this.buffer.add(sample);
  }
}
