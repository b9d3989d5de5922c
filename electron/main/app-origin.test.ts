import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isAppUrl, resolveAppFile } from './app-origin';

const root = resolve('/opt/akson/renderer');

describe('app origin', () => {
  it.each([
    ['app://akson/index.html', true],
    ['app://akson/assets/index.js', true],
    ['app://akson.evil/index.html', false],
    ['app://user:pw@akson/index.html', false],
    ['https://akson/index.html', false],
    ['file:///opt/akson/renderer/index.html', false],
    ['not a url', false],
  ])('isAppUrl(%s) is %s', (url, expected) => {
    expect(isAppUrl(url)).toBe(expected);
  });

  it('maps app:// paths to files inside the renderer folder', () => {
    expect(resolveAppFile(root, 'app://akson/')).toBe(join(root, 'index.html'));
    expect(resolveAppFile(root, 'app://akson/assets/index-abc.js')).toBe(join(root, 'assets', 'index-abc.js'));
  });

  it.each(['app://akson/../../etc/passwd', 'app://akson/%2e%2e/%2e%2e/etc/passwd'])(
    'keeps %s inside the renderer folder (the URL parser drops the dot segments)',
    (url) => {
      expect(resolveAppFile(root, url)).toBe(join(root, 'etc', 'passwd'));
    },
  );

  it.each([
    'app://akson/assets/..%2f..%2f..%2fetc%2fpasswd',
    'app://akson/index.html%00.js',
    'app://akson/%E0%A4%A',
    'app://other/index.html',
  ])('refuses %s', (url) => {
    expect(resolveAppFile(root, url)).toBeNull();
  });
});
