import { Body, Controller, Delete, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { Public } from '../../common/authz';
import { ValidationFailedError } from '../../common/errors';
import { SandboxFaults } from './core/sandbox-faults.service';
import { SandboxMediaStore } from './core/sandbox-media.store';
import { SandboxRecorder } from './core/sandbox-recorder.service';
import { SandboxTelegramBots } from './core/sandbox-telegram-bots.store';
import { SandboxTemplateStore } from './core/sandbox-template.store';
import { CreateFaultDto } from './dto/create-fault.dto';
import { ListRequestsQuery } from './dto/list-requests.query';
import { SandboxFaultDto, SandboxFaultListDto, SandboxRequestListDto } from './dto/sandbox-responses.dto';
import { SANDBOX_ONLY, SandboxDocs } from './sandbox-docs';

function parseSince(since: string | undefined): Date | undefined {
  if (since === undefined || since === '') return undefined;
  const date = /^\d+$/.test(since) ? new Date(Number(since)) : new Date(since);
  if (Number.isNaN(date.getTime())) {
    throw new ValidationFailedError([{ field: 'since', message: 'since must be an ISO 8601 time or epoch milliseconds' }]);
  }
  return date;
}

/** Inspection and control of the fakes: what they received, which failures they will answer with. */
@SandboxDocs()
@Public()
@Controller('sandbox')
export class SandboxController {
  constructor(
    private readonly recorder: SandboxRecorder,
    private readonly faults: SandboxFaults,
    private readonly templates: SandboxTemplateStore,
    private readonly media: SandboxMediaStore,
    private readonly bots: SandboxTelegramBots,
  ) {}

  @Get('requests')
  @ApiOperation({ summary: 'What the provider fakes received from the platform, oldest first', description: SANDBOX_ONLY })
  @ApiOkResponse({ type: SandboxRequestListDto })
  @ApiBadRequestResponse({ description: '`validation_failed`: unknown provider or unreadable `since`' })
  requests(@Query() query: ListRequestsQuery) {
    return { data: this.recorder.list({ provider: query.provider, since: parseSince(query.since) }) };
  }

  @Delete('requests')
  @HttpCode(204)
  @ApiOperation({ summary: 'Forget the recorded requests', description: SANDBOX_ONLY })
  @ApiNoContentResponse({ description: 'Done' })
  clearRequests() {
    this.recorder.clear();
  }

  @Post('faults')
  @ApiOperation({ summary: 'Queue a failure (status, body, delay) a provider fake answers with', description: SANDBOX_ONLY })
  @ApiCreatedResponse({ type: SandboxFaultDto, description: 'The queued fault' })
  @ApiBadRequestResponse({ description: '`validation_failed`' })
  addFault(@Body() dto: CreateFaultDto) {
    return this.faults.add(dto);
  }

  @Get('faults')
  @ApiOperation({ summary: 'Faults still queued', description: SANDBOX_ONLY })
  @ApiOkResponse({ type: SandboxFaultListDto })
  listFaults() {
    return { data: this.faults.list() };
  }

  @Delete('faults')
  @HttpCode(204)
  @ApiOperation({ summary: 'Drop every queued fault', description: SANDBOX_ONLY })
  @ApiNoContentResponse({ description: 'Done' })
  clearFaults() {
    this.faults.clear();
  }

  /** Back to a fresh sandbox: no recordings, faults, media or webhooks; the default templates. */
  @Post('reset')
  @HttpCode(204)
  @ApiOperation({ summary: 'Back to a fresh sandbox', description: SANDBOX_ONLY })
  @ApiNoContentResponse({ description: 'Done' })
  reset() {
    this.recorder.clear();
    this.faults.clear();
    this.media.clear();
    this.bots.clear();
    this.templates.reset();
  }
}
