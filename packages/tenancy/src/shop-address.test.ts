import { describe, expect, it } from 'vitest';
import { hostnameOf, resolveShopAddress } from './shop-address';
import { assertSlug } from './slug';

const domains = ['localhost', 'tuike.example'];
const resolve = (url: string, host = new URL(url).host) => resolveShopAddress(new URL(url), host, domains);

describe('resolveShopAddress', () => {
  it.each([
    ['http://localhost/api/shop'],
    ['http://localhost:3000/api/shop'],
    ['http://www.localhost/api/shop'],
    ['https://tuike.example/'],
    ['https://www.tuike.example/'],
    ['https://TUIKE.EXAMPLE./'],
    ['http://127.0.0.1:3000/'],
  ])('treats %s as the platform itself', (url) => {
    expect(resolve(url)).toEqual({ kind: 'platform' });
  });

  it.each([
    ['http://alpha.localhost/api/shop', 'alpha'],
    ['http://alpha.localhost:3000/api/shop', 'alpha'],
    ['https://ALPHA.tuike.example/api/shop', 'alpha'],
    ['https://beta.tuike.example./', 'beta'],
  ])('routes the subdomain %s to the shop %s', (url, slug) => {
    expect(resolve(url)).toEqual({ kind: 'slug', slug, basePath: '' });
  });

  it('routes /s/{slug} on any host to that shop with the path as its base', () => {
    expect(resolve('http://localhost/s/alpha/api/shop')).toEqual({ kind: 'slug', slug: 'alpha', basePath: '/s/alpha' });
    expect(resolve('http://localhost/s/alpha')).toEqual({ kind: 'slug', slug: 'alpha', basePath: '/s/alpha' });
    expect(resolve('http://localhost/s/Alpha/api')).toMatchObject({ kind: 'slug', slug: 'alpha' });
  });

  it('does not take /s/ as a prefix of a longer segment', () => {
    expect(resolve('http://localhost/sx/alpha/api')).toEqual({ kind: 'platform' });
    expect(resolve('http://localhost/s/')).toEqual({ kind: 'platform' });
  });

  it('looks up other hosts as custom domains, lowercased without port or trailing dot', () => {
    expect(resolve('https://shop.brand.cn/', 'Shop.Brand.CN:8443')).toEqual({ kind: 'domain', hostname: 'shop.brand.cn', basePath: '' });
    expect(resolve('https://brand.cn./', 'brand.cn.')).toEqual({ kind: 'domain', hostname: 'brand.cn', basePath: '' });
  });

  it('never takes a deeper subdomain of the platform as a shop slug', () => {
    expect(resolve('http://a.b.localhost/')).toEqual({ kind: 'domain', hostname: 'a.b.localhost', basePath: '' });
  });

  it('takes the shop from the Host header, not from the URL the client claims', () => {
    expect(resolveShopAddress(new URL('http://alpha.localhost/api/shop'), 'beta.localhost', domains)).toMatchObject({ kind: 'slug', slug: 'beta' });
  });

  it.each([
    ['/s/%E0%A4%A/api/shop', '/s/%E0%A4%A'],
    ['/s/%/api/shop', '/s/%'],
    ['/s/abc%zz', '/s/abc%zz'],
    ['/s/%C3%28/api', '/s/%C3%28'],
  ])('does not throw on malformed percent-encoding in %s and names no valid shop slug', (path, basePath) => {
    let addr: ReturnType<typeof resolve> | undefined;
    expect(() => { addr = resolve(`http://localhost${path}`); }).not.toThrow();
    expect(addr).toMatchObject({ kind: 'slug', basePath });
    const slug = (addr as { slug: string }).slug;
    expect(() => assertSlug(slug)).toThrow();
  });

  it('still decodes well-formed escapes in the /s/ segment', () => {
    expect(resolve('http://localhost/s/%61lpha/api')).toEqual({ kind: 'slug', slug: 'alpha', basePath: '/s/%61lpha' });
  });
});

describe('hostnameOf', () => {
  it('lowercases and strips the port and a trailing dot', () => {
    expect(hostnameOf('Alpha.LocalHost:8080')).toBe('alpha.localhost');
    expect(hostnameOf('alpha.localhost.')).toBe('alpha.localhost');
  });
});
