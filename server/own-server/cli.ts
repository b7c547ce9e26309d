// `npm run check-server -- <protocol> <host:port> [--json [FILE] | --junit [FILE]] [--lang ru|en]`:
// runs one suite against a server on this machine and prints one line per check, a line with the
// difference, the clause and the request under each failure, and a command that replays it
// (cli-report.ts); `--json` gives the report as the route answers it, `--junit` as JUnit XML for a
// CI, each into FILE when one follows (written by this command: nothing npm prints enters it).
// `--lang ru` (or, without it, `LANG=ru…`) prints Russian. Exit 0 all passed, 1 a check failed,
// 2 the server could not be reached (or the arguments are wrong). The person at the terminal is on
// this machine, so the guard treats them as its user: its loopback and its own addresses only.
import { writeFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { countOutcomes } from '../../contracts/own-server/check-result.ts';
import { createAddressGuard } from './address-guard.ts';
import { cliStudentAddress, parseCliArgs } from './cli-options.ts';
import { formatReport, junitReport } from './cli-report.ts';
import { runChecks } from './runner.ts';

async function main(args: string[]): Promise<number> {
  const options = parseCliArgs(args, process.env);
  if ('usage' in options) {
    console.error(options.usage);
    return 2;
  }
  const guard = createAddressGuard({ studentAddress: cliStudentAddress(options.target, networkInterfaces()) });
  const report = await runChecks(options.protocol, options.target, { guard });
  const text =
    options.format === 'json'
      ? `${JSON.stringify(report, null, 2)}\n`
      : options.format === 'junit'
        ? junitReport(report, options.language)
        : `${formatReport(report, options.language).join('\n')}\n`;
  if (options.file === null) process.stdout.write(text);
  else {
    writeFileSync(options.file, text);
    // what a terminal shows: the summary, and where the report is
    const summary = formatReport(report, options.language).at(-1) ?? '';
    console.log(options.language === 'ru' ? `${summary} — отчёт в ${options.file}` : `${summary} — report in ${options.file}`);
  }
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
