/** What a template's components expect: placeholder counts per section (Graph API component shapes). */
export interface TemplateShape {
  header: number;
  body: number;
  buttons: number;
}

const placeholders = (text: unknown): number => {
  if (typeof text !== 'string') return 0;
  return new Set(text.match(/\{\{\s*\w+\s*\}\}/g) ?? []).size;
};

export function templateShape(components: unknown[]): TemplateShape {
  const shape: TemplateShape = { header: 0, body: 0, buttons: 0 };
  for (const c of components as { type?: string; format?: string; text?: string; buttons?: { type?: string; url?: string }[] }[]) {
    const type = String(c.type ?? '').toUpperCase();
    if (type === 'HEADER') shape.header = String(c.format ?? 'TEXT').toUpperCase() === 'TEXT' ? placeholders(c.text) : 1;
    if (type === 'BODY') shape.body = placeholders(c.text);
    if (type === 'BUTTONS') {
      shape.buttons = (c.buttons ?? []).filter((b) => String(b.type).toUpperCase() === 'QUICK_REPLY' || placeholders(b.url) > 0).length;
    }
  }
  return shape;
}

export interface TemplateParameters {
  header?: string[];
  body?: string[];
  buttons?: string[];
}

/** Null when the parameters fit; otherwise what is wrong, section by section. */
export function templateParamsProblem(shape: TemplateShape, params: TemplateParameters = {}): string | null {
  const problems: string[] = [];
  const given = { header: params.header?.length ?? 0, body: params.body?.length ?? 0, buttons: params.buttons?.length ?? 0 };
  if (given.header !== shape.header) problems.push(`header expects ${shape.header} parameter(s), got ${given.header}`);
  if (given.body !== shape.body) problems.push(`body expects ${shape.body} parameter(s), got ${given.body}`);
  if (given.buttons > shape.buttons) problems.push(`buttons accept ${shape.buttons} parameter(s), got ${given.buttons}`);
  const empty = [...(params.header ?? []), ...(params.body ?? [])].some((p) => p.trim() === '');
  if (empty) problems.push('parameters must not be empty');
  return problems.length ? problems.join('; ') : null;
}
