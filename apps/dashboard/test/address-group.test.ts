import { describe, expect, it } from 'vitest';
import { addressGroup } from '../src/address-group.ts';

describe('addressGroup', () => {
  it('keeps an IPv4 address as it is', () => {
    expect(addressGroup('10.7.1.1')).toBe('10.7.1.1');
  });

  it('groups IPv6 addresses by their /64, however they are written', () => {
    const group = '2001:db8:7:1::/64';
    for (const address of ['2001:db8:7:1::a', '2001:db8:7:1:ffff:ffff:ffff:ffff', '2001:0DB8:0007:0001:0:0:0:3', '2001:db8:7:1::1.2.3.4', '2001:db8:7:1::1%eth0']) {
      expect(addressGroup(address), address).toBe(group);
    }
    expect(addressGroup('2001:db8:7:2::a')).toBe('2001:db8:7:2::/64');
    expect(addressGroup('::1')).toBe('0:0:0:0::/64');
    expect(addressGroup('2001:db8::')).toBe('2001:db8:0:0::/64');
  });

  it('treats an IPv4-mapped IPv6 address as its IPv4 address', () => {
    expect(addressGroup('::ffff:10.7.1.1')).toBe('10.7.1.1');
    expect(addressGroup('::ffff:a07:101')).toBe('10.7.1.1');
    expect(addressGroup('0:0:0:0:0:ffff:0a07:0101')).toBe('10.7.1.1');
  });

  it('returns what is not an address unchanged', () => {
    expect(addressGroup('unknown')).toBe('unknown');
    expect(addressGroup('2001:db8:::1')).toBe('2001:db8:::1');
  });
});
