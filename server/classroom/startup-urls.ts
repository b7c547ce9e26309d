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

/** What `npm start` prints for a class: where students go and the teacher's link. */
export function startupUrls(options: { host: string; port: number; teacherKey: string; interfaces: NodeJS.Dict<NetworkInterfaceInfo[]> }): StartupUrls {
  const everyAddress = options.host === '0.0.0.0' || options.host === '::';
  const localHost = everyAddress ? 'localhost' : options.host.includes(':') ? `[${options.host}]` : options.host;
  const local = `http://${localHost}:${options.port}/`;
  const lan = everyAddress ? lanAddresses(options.interfaces).map((address) => `http://${address}:${options.port}/`) : [];
  // The key travels in the fragment: browsers never send it, so it is in no request or log line.
  const base = lan[0] ?? local;
  const teacher = { ru: `${base}ru/class/teach#key=${options.teacherKey}`, en: `${base}en/class/teach#key=${options.teacherKey}` };
  return { local, lan, teacher };
}
