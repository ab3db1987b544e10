import { blockedAddressReason, hostAddress, parseLooseIpv4, urlProblem } from './url-guard';

describe('webhook URL guard', () => {
  const strict = { httpsOnly: false, allowPrivate: false };

  it.each([
    '127.0.0.1', '10.1.2.3', '172.16.0.1', '192.168.1.1', '100.64.0.1', '169.254.169.254', '0.0.0.0', '224.0.0.1', '255.255.255.255',
    '::1', '::', 'fe80::1', 'fd00:ec2::254', 'fc00::1', 'ff02::1', '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:169.254.169.254', '64:ff9b::a9fe:a9fe',
  ])('refuses %s', (ip) => expect(blockedAddressReason(ip)).toBeDefined());

  it.each(['93.184.215.14', '8.8.8.8', '2606:4700::1111', '::ffff:8.8.8.8'])('allows %s', (ip) => expect(blockedAddressReason(ip)).toBeUndefined());

  it('reads decimal, hex and octal IPv4 forms', () => {
    expect(parseLooseIpv4('2130706433')).toBe('127.0.0.1');
    expect(parseLooseIpv4('0x7f000001')).toBe('127.0.0.1');
    expect(parseLooseIpv4('0x7f.1')).toBe('127.0.0.1');
    expect(parseLooseIpv4('0177.0.0.1')).toBe('127.0.0.1');
    expect(parseLooseIpv4('example.com')).toBeUndefined();
    expect(parseLooseIpv4('256.1.1.1')).toBeUndefined();
    expect(hostAddress('[::1]')).toBe('::1');
  });

  it.each([
    'http://127.0.0.1/hook', 'http://2130706433/hook', 'http://0x7f000001/hook', 'http://0177.0.0.1/', 'http://[::1]:8080/',
    'http://[::ffff:127.0.0.1]/', 'http://169.254.169.254/latest/meta-data', 'http://[fd00:ec2::254]/', 'http://localhost:3000/', 'http://api.localhost/',
  ])('refuses the URL %s', (url) => expect(urlProblem(url, strict)).toBeDefined());

  it('checks scheme and credentials', () => {
    expect(urlProblem('https://hooks.example.com/x', { httpsOnly: true, allowPrivate: false })).toBeUndefined();
    expect(urlProblem('http://hooks.example.com/x', { httpsOnly: true, allowPrivate: false })).toBe('must use https');
    expect(urlProblem('ftp://hooks.example.com/x', strict)).toBeDefined();
    expect(urlProblem('https://u:p@hooks.example.com/x', strict)).toBeDefined();
    expect(urlProblem('not a url', strict)).toBeDefined();
    expect(urlProblem('http://127.0.0.1:4000/hook', { httpsOnly: false, allowPrivate: true })).toBeUndefined();
  });
});
