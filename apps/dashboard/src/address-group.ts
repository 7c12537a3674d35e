import { isIPv4, isIPv6 } from 'node:net';

/**
 * The client a sign-in counts against: an IPv4 address as it is; an IPv6 address by its /64, since one subscriber is
 * given at least a /64 and picks addresses in it at will; an IPv4-mapped IPv6 address (::ffff:a.b.c.d) as its IPv4
 * address. Anything else (no address at all) is returned unchanged.
 */
export function addressGroup(address: string): string {
  if (isIPv4(address)) return address;
  const groups = ipv6Groups(address);
  if (!groups) return address;
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return [groups[6]! >> 8, groups[6]! & 0xff, groups[7]! >> 8, groups[7]! & 0xff].join('.');
  }
  return `${groups.slice(0, 4).map((g) => g.toString(16)).join(':')}::/64`;
}

/** The eight 16-bit groups of an IPv6 address (a zone id dropped), or undefined when it is not one. */
function ipv6Groups(address: string): number[] | undefined {
  const zone = address.indexOf('%');
  const bare = zone === -1 ? address : address.slice(0, zone);
  if (!isIPv6(bare)) return undefined;
  const parse = (text: string) => (text === '' ? [] : text.split(':').flatMap((group) => (group.includes('.') ? dottedQuad(group) : [parseInt(group, 16)])));
  const [head = '', tail] = bare.split('::');
  const front = parse(head);
  if (tail === undefined) return front;
  const back = parse(tail);
  return [...front, ...new Array<number>(8 - front.length - back.length).fill(0), ...back];
}

/** The last 32 bits written as dotted IPv4 (::ffff:10.0.0.1), as two groups. */
function dottedQuad(text: string): number[] {
  const [a = 0, b = 0, c = 0, d = 0] = text.split('.').map(Number);
  return [(a << 8) | b, (c << 8) | d];
}
