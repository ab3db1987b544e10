import { templateParamsProblem, templateShape } from './template-placeholders';

describe('template placeholders', () => {
  const components = [
    { type: 'HEADER', format: 'TEXT', text: 'Order {{1}}' },
    { type: 'BODY', text: 'Hi {{1}}, your order {{2}} ships {{3}}. Thanks {{1}}!' },
    { type: 'BUTTONS', buttons: [{ type: 'QUICK_REPLY', text: 'Stop' }, { type: 'URL', url: 'https://x.example/{{1}}' }, { type: 'PHONE_NUMBER' }] },
  ];
  const s = templateShape(components);

  it('counts distinct placeholders per section and the button parameters that are required', () => {
    expect(s).toEqual({ header: 1, body: 3, buttons: 2, requiredButtons: 2 });
    expect(templateShape([{ type: 'HEADER', format: 'IMAGE' }, { type: 'BODY', text: 'No params' }])).toEqual({ header: 1, headerMedia: 'image', body: 0, buttons: 0 });
  });

  it('accepts fitting parameters and explains mismatches', () => {
    expect(templateParamsProblem(s, { header: ['42'], body: ['Ann', '42', 'today'], buttons: ['STOP', 'track/42'] })).toBeNull();
    expect(templateParamsProblem(s, { header: ['42'], body: ['Ann'], buttons: ['STOP', 'track/42'] })).toMatch(/body expects 3/);
    expect(templateParamsProblem(s, { body: ['Ann', '42', 'today'], buttons: ['STOP', 'track/42'] })).toMatch(/header expects 1/);
    expect(templateParamsProblem(s, { header: ['42'], body: ['Ann', '42', 'today'], buttons: ['a', 'b', 'c'] })).toMatch(/buttons accept 2/);
    expect(templateParamsProblem(s, { header: [' '], body: ['Ann', '42', 'today'], buttons: ['STOP', 'track/42'] })).toMatch(/empty/);
  });

  it('requires the suffix of every dynamic URL button; quick-reply payloads after the last one may be left out', () => {
    expect(templateParamsProblem(s, { header: ['42'], body: ['Ann', '42', 'today'] })).toMatch(/buttons need 2 parameter\(s\).*got 0/);
    expect(templateParamsProblem(s, { header: ['42'], body: ['Ann', '42', 'today'], buttons: ['STOP'] })).toMatch(/buttons need 2/);
    expect(templateParamsProblem(s, { header: ['42'], body: ['Ann', '42', 'today'], buttons: ['STOP', ' '] })).toMatch(/empty/);

    const urlFirst = templateShape([{ type: 'BUTTONS', buttons: [{ type: 'URL', url: 'https://x.example/t/{{1}}' }, { type: 'QUICK_REPLY' }, { type: 'QUICK_REPLY' }] }]);
    expect(urlFirst).toEqual({ header: 0, body: 0, buttons: 3, requiredButtons: 1 });
    expect(templateParamsProblem(urlFirst, { buttons: ['42'] })).toBeNull();
    expect(templateParamsProblem(urlFirst, { buttons: ['42', 'YES', 'NO'] })).toBeNull();
    expect(templateParamsProblem(urlFirst, {})).toMatch(/buttons need 1/);
  });

  it('takes no parameter for static buttons: quick replies only optionally, plain URLs and phone numbers never', () => {
    const staticOnly = templateShape([{ type: 'BUTTONS', buttons: [{ type: 'URL', url: 'https://x.example/help' }, { type: 'PHONE_NUMBER' }, { type: 'QUICK_REPLY' }] }]);
    expect(staticOnly).toEqual({ header: 0, body: 0, buttons: 1 });
    expect(templateParamsProblem(staticOnly, {})).toBeNull();
    expect(templateParamsProblem(staticOnly, { buttons: ['a', 'b'] })).toMatch(/buttons accept 1/);
  });

  it.each(['IMAGE', 'VIDEO', 'DOCUMENT'])('a %s header takes exactly one http(s) URL', (format) => {
    const media = templateShape([{ type: 'HEADER', format }, { type: 'BODY', text: 'Here you go.' }]);
    expect(templateParamsProblem(media, { header: ['https://cdn.example/file'] })).toBeNull();
    expect(templateParamsProblem(media, { header: ['http://cdn.example/file?x=1'] })).toBeNull();
    expect(templateParamsProblem(media, {})).toMatch(/header expects 1/);
    for (const bad of ['invoice.pdf', 'ftp://cdn.example/file', 'javascript:alert(1)', 'Order 42']) {
      expect(templateParamsProblem(media, { header: [bad] })).toMatch(new RegExp(`${format.toLowerCase()} header parameter must be an http\\(s\\) URL`));
    }
  });

  it('a text header takes any non-empty text', () => {
    expect(templateParamsProblem(s, { header: ['Order 42 / not a URL'], body: ['Ann', '42', 'today'], buttons: ['STOP', 'x'] })).toBeNull();
  });
});
