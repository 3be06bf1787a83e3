import { ApplicationFailure } from '@temporalio/activity';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { OsFamily } from '../../platform/inventory/inventory-store';

/** What the host checks run for one software on one kind of host, placeholders still in. */
export interface HostCommands {
  /** Prints one user name per line for each user with an open session. */
  sessions: string;
  /** Prints one user name per line for each user running the software's process (`{process}`). */
  processes: string;
  /** Exit 0 when the application's process starts (e.g. its self-test or version switch). */
  application: string;
  services: string[];
  /** Exit 0 when the service `{service}` is active. */
  service: string;
  /** Prints the errors logged since `{since}` (ISO-8601) or `{sinceEpoch}` (seconds); no output passes. */
  logErrors: string;
  processName: string;
}

/** The commands a catalogue file may leave out: these fit a systemd Linux host and a Windows Server. */
const DEFAULT_COMMANDS: Record<OsFamily, Pick<HostCommands, 'sessions' | 'processes' | 'service' | 'logErrors'>> = {
  linux: {
    sessions: `who | awk '{ print $1 }' | sort -u`,
    processes: `ps -eo user=,comm= | awk -v name={process} '$2 == name { print $1 }' | sort -u`,
    service: 'systemctl is-active {service}',
    logErrors: 'journalctl --since=@{sinceEpoch} --priority=err --no-pager --quiet',
  },
  windows: {
    sessions: `Get-Process -Name explorer -IncludeUserName | ForEach-Object { $_.UserName.Split('\\')[-1] } | Sort-Object -Unique`,
    processes: `Get-Process -Name {process} -IncludeUserName -ErrorAction SilentlyContinue | ForEach-Object { $_.UserName.Split('\\')[-1] } | Sort-Object -Unique`,
    service: `$s = Get-Service -Name {service} -ErrorAction Stop; $s.Status; if ($s.Status -ne 'Running') { exit 1 }`,
    logErrors: `Get-WinEvent -FilterHashtable @{ LogName = 'Application', 'System'; Level = 1, 2; StartTime = [datetime]::Parse({since}) } -ErrorAction SilentlyContinue | Format-List TimeCreated, ProviderName, Id, Message; exit 0`,
  },
};

/**
 * The per-software command catalogue: one JSON file per software in a folder
 * (HOST_CATALOGUE_DIR), named after the software (`Abacus ERP` → `abacus-erp.json`), with a
 * section per host family. The README documents the format.
 */
export class CommandCatalogue {
  constructor(private readonly folder: string) {}

  async commandsFor(softwareName: string, osFamily: OsFamily): Promise<HostCommands> {
    const file = path.join(this.folder, `${catalogueFileName(softwareName)}.json`);
    let entry: Record<string, unknown>;
    try {
      entry = JSON.parse(await readFile(file, 'utf8'));
    } catch (err) {
      throw ApplicationFailure.nonRetryable(`no usable catalogue entry for ${softwareName} (${file}): ${(err as Error).message}`, 'NoCatalogueEntry');
    }
    const section = entry[osFamily] as Partial<HostCommands> | undefined;
    const problems = section ? requiredProblems(section) : [`no "${osFamily}" section`];
    if (problems.length > 0) throw ApplicationFailure.nonRetryable(`catalogue ${file}: ${problems.join('; ')}`, 'NoCatalogueEntry');
    return { ...DEFAULT_COMMANDS[osFamily], services: [], ...section } as HostCommands;
  }
}

function requiredProblems(section: Partial<HostCommands>): string[] {
  const problems: string[] = [];
  if (typeof section.processName !== 'string' || !section.processName) problems.push('processName is required');
  if (typeof section.application !== 'string' || !section.application) problems.push('application is required');
  if (section.services !== undefined && !(Array.isArray(section.services) && section.services.every((s) => typeof s === 'string'))) {
    problems.push('services must be a list of service names');
  }
  return problems;
}

/** `Abacus ERP 2025` → `abacus-erp-2025`. */
export function catalogueFileName(softwareName: string): string {
  return softwareName.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

/** Fills `{name}` placeholders with values quoted for the host's shell, so a value is always one literal word. */
export function fillPlaceholders(template: string, values: Record<string, string>, osFamily: OsFamily): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? quote(values[name], osFamily) : whole));
}

function quote(value: string, osFamily: OsFamily): string {
  return osFamily === 'windows' ? `'${value.replace(/'/g, "''")}'` : `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * What is sent over SSH: a Linux command goes to the login shell as it is; a Windows command runs
 * in PowerShell, passed base64-encoded so the default cmd.exe shell of Windows' OpenSSH cannot
 * reinterpret any quote or pipe in it.
 */
export function remoteInvocation(command: string, osFamily: OsFamily): string {
  if (osFamily === 'linux') return command;
  return `powershell -NoProfile -NonInteractive -EncodedCommand ${Buffer.from(command, 'utf16le').toString('base64')}`;
}
