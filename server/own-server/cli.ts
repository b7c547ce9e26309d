// `npm run check-server -- <protocol> <host:port> [--json | --junit]`: runs one suite against a
// server on this machine and prints one line per check, a line with the difference, the clause and
// the request under each failure, and a command that replays it (cli-report.ts); `--json` prints
// the report as the route answers it, `--junit` as JUnit XML for a CI. `LANG=ru…` prints Russian.
// Exit 0 all passed, 1 a check failed, 2 the server could not be reached (or the arguments are
// wrong). The person at the terminal is on this machine, so the guard treats them as a loopback
// student: only loopback addresses are checked.
import { CHECKED_PROTOCOLS, countOutcomes, type CheckedProtocol } from '../../contracts/own-server/check-result.ts';
import { createAddressGuard } from './address-guard.ts';
import { formatReport, junitReport } from './cli-report.ts';
import { runChecks } from './runner.ts';

const FORMATS = ['--json', '--junit'] as const;

async function main(args: string[]): Promise<number> {
  const format = args.find((arg) => arg.startsWith('--'));
  const [protocol, target] = args.filter((arg) => !arg.startsWith('--'));
  const language = (process.env.LANG ?? '').startsWith('ru') ? 'ru' : 'en';
  if (!CHECKED_PROTOCOLS.includes(protocol as CheckedProtocol) || !target || (format && !(FORMATS as readonly string[]).includes(format))) {
    const usage = `npm run check-server -- <${CHECKED_PROTOCOLS.join('|')}> <host:port> [--json|--junit]`;
    console.error(language === 'ru' ? `запуск: ${usage}` : `usage: ${usage}`);
    return 2;
  }
  const guard = createAddressGuard({ studentAddress: '127.0.0.1' });
  const report = await runChecks(protocol as CheckedProtocol, target, { guard });
  if (format === '--json') console.log(JSON.stringify(report, null, 2));
  else if (format === '--junit') process.stdout.write(junitReport(report, language));
  else for (const line of formatReport(report, language)) console.log(line);
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
