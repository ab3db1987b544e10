/** Header formats whose one parameter is a file the provider fetches by link (Graph API component shapes). */
export type MediaHeaderFormat = 'image' | 'video' | 'document';

/** What a template's components expect: placeholder counts per section. */
export interface TemplateShape {
  header: number;
  /** Set for a media header: its one parameter must be the file's http(s) URL. */
  headerMedia?: MediaHeaderFormat;
  body: number;
  /** Buttons that take a parameter (quick replies, URL buttons with a placeholder), in template order. */
  buttons: number;
  /** Button parameters that must be given: through the last dynamic URL button, whose suffix has no default. */
  requiredButtons?: number;
}

interface Component {
  type?: string;
  format?: string;
  text?: string;
  buttons?: { type?: string; url?: string }[];
}

const MEDIA_FORMATS: readonly string[] = ['image', 'video', 'document'] satisfies MediaHeaderFormat[];

const placeholders = (text: unknown): number => {
  if (typeof text !== 'string') return 0;
  return new Set(text.match(/\{\{\s*\w+\s*\}\}/g) ?? []).size;
};

const isHttpUrl = (value: string): boolean => {
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
};

export function templateShape(components: unknown[]): TemplateShape {
  const shape: TemplateShape = { header: 0, body: 0, buttons: 0 };
  for (const c of components as Component[]) {
    const type = String(c.type ?? '').toUpperCase();
    if (type === 'HEADER') {
      const format = String(c.format ?? 'TEXT').toLowerCase();
      shape.header = format === 'text' ? placeholders(c.text) : 1;
      if (MEDIA_FORMATS.includes(format)) shape.headerMedia = format as MediaHeaderFormat;
    }
    if (type === 'BODY') shape.body = placeholders(c.text);
    if (type === 'BUTTONS') {
      // A quick reply's payload is optional (a tap without one reports the button text); a URL
      // button's suffix is not, so parameters are required up to the last dynamic URL button.
      for (const b of c.buttons ?? []) {
        const kind = String(b.type).toUpperCase();
        const dynamicUrl = kind === 'URL' && placeholders(b.url) > 0;
        if (kind === 'QUICK_REPLY' || dynamicUrl) shape.buttons += 1;
        if (dynamicUrl) shape.requiredButtons = shape.buttons;
      }
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
  const requiredButtons = shape.requiredButtons ?? 0;
  if (given.header !== shape.header) problems.push(`header expects ${shape.header} parameter(s), got ${given.header}`);
  else if (shape.headerMedia && !isHttpUrl(params.header?.[0] ?? '')) problems.push(`the ${shape.headerMedia} header parameter must be an http(s) URL`);
  if (given.body !== shape.body) problems.push(`body expects ${shape.body} parameter(s), got ${given.body}`);
  if (given.buttons > shape.buttons) problems.push(`buttons accept ${shape.buttons} parameter(s), got ${given.buttons}`);
  else if (given.buttons < requiredButtons) problems.push(`buttons need ${requiredButtons} parameter(s) (one per button up to the last URL button), got ${given.buttons}`);
  const empty = [...(params.header ?? []), ...(params.body ?? []), ...(params.buttons ?? [])].some((p) => p.trim() === '');
  if (empty) problems.push('parameters must not be empty');
  return problems.length ? problems.join('; ') : null;
}
