import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { WORKSPACE_CLOSED_EVENT, WorkspaceClosedEvent } from '../../workspaces';
import { ChannelsService } from '../channels.service';

/** A closing workspace stops receiving and sending at once. */
@Injectable()
export class WorkspaceClosedListener {
  constructor(private readonly channels: ChannelsService) {}

  @OnEvent(WORKSPACE_CLOSED_EVENT, { promisify: true })
  handle(event: WorkspaceClosedEvent) {
    return this.channels.disconnectAll(event.workspaceId);
  }
}
