import type { NetworkInterfaceInfo } from 'node:os';

/** The addresses students can type: this machine's IPv4 addresses on its networks, loopback left out. */
export function lanAddresses(interfaces: NodeJS.Dict<NetworkInterfaceInfo[]>): string[] {
  const found: string[] = [];
  for (const entries of Object.values(interfaces)) {
    for (const entry of entries ?? []) {
      if (entry.family === 'IPv4' && !entry.internal) found.push(entry.address);
    }
  }
  return found;
}

export interface StartupUrls {
  local: string;
  /** empty unless the server listens on every address (HOST=0.0.0.0) */
  lan: string[];
  /** open the teacher's page (Russian, English) with the key: a secret, printed in the terminal only */
  teacher: { ru: string; en: string };
}

/**
 * PUBLIC_URL: the address students type when it is not this process's own (HAProxy in front,
 * a port forwarded): its origin, or an error that says what is wrong with it.
 */
export function parsePublicUrl(value: string | undefined): string | undefined {
  if (!value) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`PUBLIC_URL must be an address such as http://10.0.0.5:8080, not "${value}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`PUBLIC_URL must start with http:// or https://, not "${value}"`);
  return url.origin;
}

const listensEverywhere = (host: string): boolean => host === '0.0.0.0' || host === '::';

/**
 * The origins a class's join link and QR code may name, for a teacher's page that reached this
 * server with `hostHeader`: PUBLIC_URL when it is set; else this machine's LAN addresses with the
 * port the teacher's browser used (behind HAProxy that is HAProxy's, not this instance's); none
 * when the server listens on one address only (the page then names its own origin).
 */
export function joinOrigins(options: {
  listeningHost: string;
  listeningPort: number;
  hostHeader: string | undefined;
  publicUrl?: string;
  interfaces: NodeJS.Dict<NetworkInterfaceInfo[]>;
}): string[] {
  if (options.publicUrl) return [options.publicUrl];
  if (!listensEverywhere(options.listeningHost)) return [];
  const port = /:(\d{1,5})$/.exec(options.hostHeader ?? '')?.[1] ?? (options.hostHeader ? '80' : String(options.listeningPort));
  return lanAddresses(options.interfaces).map((address) => `http://${address}:${port}`);
}

/** What `npm start` prints for a class: where students go and the teacher's link. */
export function startupUrls(options: {
  host: string;
  port: number;
  teacherKey: string;
  interfaces: NodeJS.Dict<NetworkInterfaceInfo[]>;
  publicUrl?: string;
}): StartupUrls {
  const everyAddress = listensEverywhere(options.host);
  const localHost = everyAddress ? 'localhost' : options.host.includes(':') ? `[${options.host}]` : options.host;
  const local = `http://${localHost}:${options.port}/`;
  const lan = options.publicUrl
    ? [`${options.publicUrl}/`]
    : everyAddress
      ? lanAddresses(options.interfaces).map((address) => `http://${address}:${options.port}/`)
      : [];
  // The key travels in the fragment: browsers never send it, so it is in no request or log line.
  const base = lan[0] ?? local;
  const teacher = { ru: `${base}ru/class/teach#key=${options.teacherKey}`, en: `${base}en/class/teach#key=${options.teacherKey}` };
  return { local, lan, teacher };
}
