// `npm run check-server -- <protocol> <host:port>`: runs one suite against a server on this
// machine and prints one line per check. Exit 0 all passed, 1 a check failed, 2 the server could
// not be reached (or the arguments are wrong). The person at the terminal is on this machine,
// so the guard treats them as a loopback student: only loopback addresses are checked.
import { CHECKED_PROTOCOLS, countOutcomes, summaryLine, type CheckReport, type CheckedProtocol } from '../../contracts/own-server/check-result.ts';
import { createAddressGuard } from './address-guard.ts';
import { runChecks } from './runner.ts';

const LABEL = { pass: 'PASS', fail: 'FAIL', 'not-offered': 'NOT OFFERED' } as const;

export function formatReport(report: CheckReport, language: 'en' | 'ru' = 'en'): string[] {
  if (!report.reachable) return [`${report.protocol} ${report.target}: ${report.refusal?.[language] ?? ''}`];
  const lines = report.results.map((result) => {
    const line = `${LABEL[result.outcome]}  ${result.id} — ${result.name[language]}`;
    return result.difference ? `${line}\n      ${result.difference[language]}` : line;
  });
  return [...lines, summaryLine(countOutcomes(report.results))];
}

async function main(args: string[]): Promise<number> {
  const [protocol, target] = args;
  if (!CHECKED_PROTOCOLS.includes(protocol as CheckedProtocol) || !target) {
    console.error(`usage: npm run check-server -- <${CHECKED_PROTOCOLS.join('|')}> <host:port>`);
    return 2;
  }
  const language = (process.env.LANG ?? '').startsWith('ru') ? 'ru' : 'en';
  const guard = createAddressGuard({ studentAddress: '127.0.0.1' });
  const report = await runChecks(protocol as CheckedProtocol, target, { guard });
  for (const line of formatReport(report, language)) console.log(line);
  if (!report.reachable) return 2;
  return countOutcomes(report.results).failed > 0 ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(2);
  },
);
