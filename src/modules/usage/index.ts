export { UsageModule } from './usage.module';
export { USAGE_BUFFER } from './usage.tokens';
