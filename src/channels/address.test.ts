import { describe, expect, it } from 'vitest';
import { needsSmtpUtf8, wireAddress } from './address.js';

describe('wireAddress', () => {
  it('puts an internationalized domain in its ASCII form and leaves the rest as written', () => {
    expect(wireAddress('taro@例え.jp')).toBe('taro@xn--r8jz45g.jp');
    expect(wireAddress('info@bücher.example')).toBe('info@xn--bcher-kva.example');
    expect(wireAddress('山田@例え.jp')).toBe('山田@xn--r8jz45g.jp');
    expect(wireAddress('olivia@northwind.example.com')).toBe('olivia@northwind.example.com');
    expect(wireAddress('taro@xn--r8jz45g.jp')).toBe('taro@xn--r8jz45g.jp');
  });

  it('keeps an address whose domain has no ASCII form as it is', () => {
    expect(wireAddress('a@xn--zz例.jp')).toBe('a@xn--zz例.jp');
    expect(wireAddress('no-at-sign')).toBe('no-at-sign');
  });
});

describe('needsSmtpUtf8', () => {
  it('is true only for non-ASCII before the @', () => {
    expect(needsSmtpUtf8('山田@example.jp')).toBe(true);
    expect(needsSmtpUtf8('josé@example.com')).toBe(true);
    expect(needsSmtpUtf8('taro@例え.jp')).toBe(false);
    expect(needsSmtpUtf8('taro@example.jp')).toBe(false);
  });
});
