/**
 * String aliases of the sandbox state services. Tests boot the app in an isolated module registry
 * (jest.isolateModules in startApp), where the test file's copy of a class is not the app's, so
 * `app.get(SandboxRecorder)` would not find it; `app.get<SandboxRecorder>(SANDBOX_RECORDER)` does.
 */
export const SANDBOX_RECORDER = 'SandboxRecorder';
export const SANDBOX_FAULTS = 'SandboxFaults';
export const SANDBOX_TEMPLATES = 'SandboxTemplateStore';
export const SANDBOX_MEDIA = 'SandboxMediaStore';
export const SANDBOX_TELEGRAM_BOTS = 'SandboxTelegramBots';
