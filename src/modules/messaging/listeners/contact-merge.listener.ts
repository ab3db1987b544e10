import { Injectable, OnModuleInit } from '@nestjs/common';
import { ContactMergeRegistry } from '../../identity';
import { ConversationMergeService } from '../conversation-merge.service';

/** Identity merges and un-merges contacts; conversations follow inside the same transaction. */
@Injectable()
export class ContactMergeListener implements OnModuleInit {
  constructor(
    private readonly registry: ContactMergeRegistry,
    private readonly merges: ConversationMergeService,
  ) {}

  onModuleInit() {
    this.registry.register({
      name: 'messaging',
      onMerge: (em, c) => this.merges.onMerge(em, c),
      onUndo: (em, c) => this.merges.onUndo(em, c),
    });
  }
}
