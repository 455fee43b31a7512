// Who may read metrics, the same rule for a server's GET /metrics and a queue
// worker's metrics listener: `Authorization: Bearer <METRICS_TOKEN>`, or a
// client address inside METRICS_ALLOW (CIDR list; loopback by default). A
// wrong token is 401, anyone else 403. API keys play no part (Prometheus has
// none).
import { timingSafeEqual } from 'node:crypto';
import { BlockList, isIPv4, isIPv6 } from 'node:net';
import type { Config } from '../config.js';

export type MetricsAccess = { allowed: true } | { allowed: false; status: 401 | 403; detail: string };

export function allowedNetworks(list: string): BlockList {
  const networks = new BlockList();
  for (const cidr of list.split(',').map((n) => n.trim()).filter((n) => n !== '')) {
    const [address = '', bits = ''] = cidr.split('/');
    const type = isIPv6(address) ? 'ipv6' : 'ipv4';
    if (!isIPv4(address) && !isIPv6(address)) {
      throw new Error(`METRICS_ALLOW: ${cidr} is not an IP network`);
    }
    networks.addSubnet(address, Number(bits), type);
  }
  return networks;
}

/** `::ffff:10.0.0.1` (an IPv4 client on a dual-stack socket) is checked as 10.0.0.1. */
function inNetworks(networks: BlockList, ip: string): boolean {
  const v4 = ip.startsWith('::ffff:') && isIPv4(ip.slice(7)) ? ip.slice(7) : ip;
  return isIPv4(v4) ? networks.check(v4, 'ipv4') : isIPv6(v4) && networks.check(v4, 'ipv6');
}

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The check for one caller: its address and its Authorization header. Throws at once on a bad METRICS_ALLOW. */
export function metricsAccess(config: Pick<Config, 'METRICS_TOKEN' | 'METRICS_ALLOW'>): (ip: string, authorization: string | undefined) => MetricsAccess {
  const networks = allowedNetworks(config.METRICS_ALLOW);
  return (ip, authorization) => {
    const bearer = authorization?.startsWith('Bearer ') === true ? authorization.slice(7) : undefined;
    if (bearer !== undefined && config.METRICS_TOKEN !== undefined) {
      return sameToken(bearer, config.METRICS_TOKEN) ? { allowed: true } : { allowed: false, status: 401, detail: 'Invalid metrics token' };
    }
    return inNetworks(networks, ip)
      ? { allowed: true }
      : { allowed: false, status: 403, detail: 'Metrics are served to METRICS_ALLOW networks or with the METRICS_TOKEN bearer token' };
  };
}
