import { DynamicModule, Module, Provider } from '@nestjs/common';
import { apiOnly } from '../../common/queues/app-role';
import { appEnv } from '../../config/app-config';
import { SandboxExchange } from './core/sandbox-exchange.service';
import { SandboxFaults } from './core/sandbox-faults.service';
import { SandboxMediaStore } from './core/sandbox-media.store';
import { SandboxMultipartParser } from './core/sandbox-multipart.parser';
import { SandboxRecorder } from './core/sandbox-recorder.service';
import { SandboxTelegramBots } from './core/sandbox-telegram-bots.store';
import { SandboxTemplateStore } from './core/sandbox-template.store';
import {
  SANDBOX_FAULTS,
  SANDBOX_MEDIA,
  SANDBOX_RECORDER,
  SANDBOX_TELEGRAM_BOTS,
  SANDBOX_TEMPLATES,
} from './core/sandbox-tokens';
import { GraphSandboxController } from './graph/graph-sandbox.controller';
import { GraphSandboxService } from './graph/graph-sandbox.service';
import { PostmarkSandboxController } from './postmark/postmark-sandbox.controller';
import { PostmarkSandboxService } from './postmark/postmark-sandbox.service';
import { SandboxController } from './sandbox.controller';
import { SandboxInboundController } from './inbound/sandbox-inbound.controller';
import { ChannelsModule } from '../channels';
import { TelegramSandboxController } from './telegram/telegram-sandbox.controller';
import { TelegramSandboxService } from './telegram/telegram-sandbox.service';

const STATE = [SandboxRecorder, SandboxFaults, SandboxTemplateStore, SandboxMediaStore, SandboxTelegramBots];

const ALIASES: Provider[] = [
  { provide: SANDBOX_RECORDER, useExisting: SandboxRecorder },
  { provide: SANDBOX_FAULTS, useExisting: SandboxFaults },
  { provide: SANDBOX_TEMPLATES, useExisting: SandboxTemplateStore },
  { provide: SANDBOX_MEDIA, useExisting: SandboxMediaStore },
  { provide: SANDBOX_TELEGRAM_BOTS, useExisting: SandboxTelegramBots },
];

/**
 * The provider sandbox: fake Postmark, Graph (WhatsApp Cloud) and Telegram Bot APIs under
 * /sandbox, for integrators and for the test suite. Mounted only with SANDBOX=true; otherwise
 * `register()` yields an empty module and every /sandbox route is a 404. State is in memory, per
 * process. Its routes are @Public(): the fakes check provider-style credentials themselves.
 * `POST /sandbox/channels/:channelId/inbound` simulates a customer message on a connected channel.
 */
@Module({})
export class SandboxModule {
  static register(): DynamicModule {
    if (!appEnv().SANDBOX) return { module: SandboxModule };
    return {
      module: SandboxModule,
      imports: [ChannelsModule],
      controllers: apiOnly(SandboxController, SandboxInboundController, PostmarkSandboxController, GraphSandboxController, TelegramSandboxController),
      providers: [
        ...STATE,
        ...ALIASES,
        SandboxExchange,
        SandboxMultipartParser,
        PostmarkSandboxService,
        GraphSandboxService,
        TelegramSandboxService,
      ],
      exports: [...STATE, SANDBOX_RECORDER, SANDBOX_FAULTS, SANDBOX_TEMPLATES, SANDBOX_MEDIA, SANDBOX_TELEGRAM_BOTS],
    };
  }
}
