// The arguments of `npm run check-server`, read alike on Linux, macOS and Windows: the language by
// --lang (a Windows terminal sets no LANG) or else LANG; a report written to a file the command
// opens itself (--junit report.xml), so nothing npm prints (its "> wirelab@… check-server" banner)
// can enter it, as it does with `> report.xml`.
import type { NetworkInterfaceInfo } from 'node:os';
import { CHECKED_PROTOCOLS, type CheckedProtocol } from '../../contracts/own-server/check-result.ts';
import type { Language } from './cli-report.ts';

export type ReportFormat = 'text' | 'json' | 'junit';

export interface CliOptions {
  protocol: CheckedProtocol;
  target: string;
  language: Language;
  format: ReportFormat;
  /** where the --json or --junit report goes; null: standard output */
  file: string | null;
}

export const USAGE = `npm run check-server -- <${CHECKED_PROTOCOLS.join('|')}> <host:port> [--json [FILE] | --junit [FILE]] [--lang ru|en]`;

/** The options, or the usage line (in the language asked for) when they are wrong. */
export function parseCliArgs(args: readonly string[], env: NodeJS.ProcessEnv): CliOptions | { usage: string } {
  const positional: string[] = [];
  let format: ReportFormat = 'text';
  let file: string | null = null;
  let lang: string | undefined;
  let wrong = false;
  for (let i = 0; i < args.length; i++) {
    const [flag, inline] = args[i].startsWith('--') ? splitFlag(args[i]) : [null, undefined];
    if (flag === null) positional.push(args[i]);
    else if (flag === '--lang') lang = inline ?? args[++i];
    else if ((flag === '--json' || flag === '--junit') && format === 'text') {
      format = flag === '--json' ? 'json' : 'junit';
      // a file right after the flag: anything that is neither a flag nor a protocol or address still missing
      const next = args[i + 1];
      if (inline !== undefined) file = inline;
      else if (next !== undefined && !next.startsWith('--') && positional.length + remainingPositional(args, i + 2) >= 2) file = args[++i];
    } else wrong = true;
  }
  const language: Language = lang !== undefined ? (lang === 'ru' ? 'ru' : 'en') : (env.LANG ?? '').startsWith('ru') ? 'ru' : 'en';
  const [protocol, target] = positional;
  if (
    wrong ||
    positional.length !== 2 ||
    (lang !== undefined && lang !== 'ru' && lang !== 'en') ||
    !CHECKED_PROTOCOLS.includes(protocol as CheckedProtocol) ||
    file === ''
  ) {
    return { usage: language === 'ru' ? `запуск: ${USAGE}` : `usage: ${USAGE}` };
  }
  return { protocol: protocol as CheckedProtocol, target, language, format, file };
}

function splitFlag(arg: string): [string, string | undefined] {
  const equals = arg.indexOf('=');
  return equals === -1 ? [arg, undefined] : [arg.slice(0, equals), arg.slice(equals + 1)];
}

/** How many arguments from `from` on are not flags nor a flag's value. */
function remainingPositional(args: readonly string[], from: number): number {
  let count = 0;
  for (let i = from; i < args.length; i++) {
    if (args[i] === '--lang') i++;
    else if (!args[i].startsWith('--')) count++;
  }
  return count;
}

/**
 * Whom the address guard takes the person at the terminal for: they are on this machine, so any of
 * its addresses is theirs. The address a starter prints for the LAN (`http://192.168.1.5:8000`) is
 * then checked as that address's owner; anything else as a loopback user (loopback only).
 */
export function cliStudentAddress(target: string, interfaces: NodeJS.Dict<NetworkInterfaceInfo[]>): string {
  const host = hostOf(target);
  for (const infos of Object.values(interfaces)) for (const info of infos ?? []) if (info.address.toLowerCase() === host) return info.address;
  return '127.0.0.1';
}

/** The host of `host:port`, `[v6]:port` or a URL, lowercased, without brackets. */
function hostOf(target: string): string {
  const bare = target.replace(/^[a-z]+:\/\//i, '').split('/')[0];
  const v6 = /^\[([^\]]+)\]/.exec(bare);
  if (v6) return v6[1].toLowerCase();
  return (bare.includes(':') && bare.indexOf(':') === bare.lastIndexOf(':') ? bare.slice(0, bare.indexOf(':')) : bare).toLowerCase();
}
