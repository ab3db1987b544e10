import { Module } from '@nestjs/common';
import { QueueMetrics } from '../metrics/queue-metrics';
import { QueueBoard } from './queue-board';
import { QueueRegistry } from './queue-registry';

/** Operators' view of the queues: the Bull Board and the queue metrics. */
@Module({ providers: [QueueRegistry, QueueBoard, QueueMetrics] })
export class OperationsModule {}
