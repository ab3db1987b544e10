export { SandboxModule } from './sandbox.module';
export { SandboxRecorder } from './core/sandbox-recorder.service';
export type { SandboxRecordedRequest, SandboxRequestFilter } from './core/sandbox-recorder.service';
export { SandboxFaults } from './core/sandbox-faults.service';
export type { SandboxFault, SandboxFaultInput } from './core/sandbox-faults.service';
export { SandboxTemplateStore, DEFAULT_SANDBOX_TEMPLATES } from './core/sandbox-template.store';
export type { SandboxTemplate, SandboxTemplateInput } from './core/sandbox-template.store';
export { SandboxMediaStore } from './core/sandbox-media.store';
export type { SandboxMedia, SandboxMediaInput } from './core/sandbox-media.store';
export { SandboxTelegramBots } from './core/sandbox-telegram-bots.store';
export type { SandboxTelegramWebhook } from './core/sandbox-telegram-bots.store';
export {
  SANDBOX_RECORDER,
  SANDBOX_FAULTS,
  SANDBOX_TEMPLATES,
  SANDBOX_MEDIA,
  SANDBOX_TELEGRAM_BOTS,
} from './core/sandbox-tokens';
export { SANDBOX_PROVIDERS } from './core/sandbox.types';
export type { SandboxProvider } from './core/sandbox.types';
export { registerMultipartPassthrough } from './core/sandbox-multipart';
