import { Injectable } from '@nestjs/common';

export interface SandboxTemplate {
  id: string;
  name: string;
  language: string;
  status: 'APPROVED' | 'PENDING' | 'REJECTED' | 'PAUSED' | 'DISABLED';
  category: 'UTILITY' | 'MARKETING' | 'AUTHENTICATION';
  /** Graph's component objects, e.g. `{type: 'BODY', text: 'Hi {{1}}'}`. */
  components: Record<string, unknown>[];
}

export type SandboxTemplateInput = Omit<SandboxTemplate, 'id' | 'status' | 'category'> &
  Partial<Pick<SandboxTemplate, 'id' | 'status' | 'category'>>;

/** What every fresh sandbox knows: one template with two body placeholders, one with none. */
export const DEFAULT_SANDBOX_TEMPLATES: readonly SandboxTemplate[] = Object.freeze([
  {
    id: '1000000000000001',
    name: 'order_update',
    language: 'en_US',
    status: 'APPROVED',
    category: 'UTILITY',
    components: [
      {
        type: 'BODY',
        text: 'Hi {{1}}, your order {{2}} has been updated.',
        example: { body_text: [['Ana', '#1042']] },
      },
    ],
  },
  {
    id: '1000000000000002',
    name: 'welcome',
    language: 'en_US',
    status: 'APPROVED',
    category: 'UTILITY',
    components: [{ type: 'BODY', text: 'Welcome! Reply to this message to talk to our team.' }],
  },
]);

const clone = (t: SandboxTemplate): SandboxTemplate => JSON.parse(JSON.stringify(t)) as SandboxTemplate;

/**
 * The message templates the Graph fake lists and checks sends against. One list serves every
 * WhatsApp Business Account id, since the sandbox has no notion of accounts.
 */
@Injectable()
export class SandboxTemplateStore {
  private templates: SandboxTemplate[] = DEFAULT_SANDBOX_TEMPLATES.map(clone);
  private nextId = 2000000000000001;

  list(): SandboxTemplate[] {
    return this.templates.map(clone);
  }

  find(name: string, language: string): SandboxTemplate | undefined {
    const found = this.templates.find((t) => t.name === name && t.language === language);
    return found && clone(found);
  }

  /** Adds or replaces (by name and language); new templates are APPROVED unless stated. */
  add(input: SandboxTemplateInput): SandboxTemplate {
    const existing = this.templates.findIndex((t) => t.name === input.name && t.language === input.language);
    const template: SandboxTemplate = clone({
      status: 'APPROVED',
      category: 'UTILITY',
      ...input,
      id: input.id ?? (existing >= 0 ? this.templates[existing].id : String(this.nextId++)),
    });
    if (existing >= 0) this.templates[existing] = template;
    else this.templates.push(template);
    return clone(template);
  }

  /** Replaces the whole list. */
  seed(templates: SandboxTemplateInput[]): void {
    this.templates = [];
    templates.forEach((t) => this.add(t));
  }

  /** Back to the two default templates. */
  reset(): void {
    this.templates = DEFAULT_SANDBOX_TEMPLATES.map(clone);
  }
}

/** Number of distinct `{{n}}` placeholders in a template's BODY component. */
export function bodyPlaceholderCount(template: SandboxTemplate): number {
  const body = template.components.find((c) => String(c.type).toUpperCase() === 'BODY');
  const text = typeof body?.text === 'string' ? body.text : '';
  return new Set(text.match(/\{\{\s*\d+\s*\}\}/g)?.map((p) => p.replace(/\D/g, ''))).size;
}
