import { Injectable, UnprocessableEntityException } from '@nestjs/common';
import { InstalledSoftwareStore, type InstalledSoftware } from '../../platform/inventory/installed-software-store';
import { VendorStore } from '../../platform/inventory/vendor-store';
import type { VersionScheme } from '../../platform/inventory/version-scheme';
import { touchedTargets } from '../../workflows/steps/targets';
import type { Classification, UpdateRequest } from '../../workflows/update-request.contract';

function refuse(message: string, details?: Record<string, unknown>): never {
  throw new UnprocessableEntityException(details ? { message, details } : { message });
}

/**
 * The vendors' rules about versions, applied when a request is submitted: versions follow the
 * vendor's scheme, the target release is still supported, `currentVersion` is what is installed on
 * every target (or the request is a first installation), a lower target is a declared downgrade,
 * and a major or minor release of a server takes its clients along. Answers the classification.
 */
@Injectable()
export class VersionRules {
  constructor(private readonly installed: InstalledSoftwareStore, private readonly vendors: VendorStore) {}

  /** `againstInstalled`: false when the inventory is not enforced (INVENTORY_CHECK=off): versions alone are judged. */
  async classify(request: UpdateRequest, againstInstalled: boolean): Promise<Classification> {
    const { software } = request;
    const scheme = await this.vendors.scheme(software.vendor);
    const target = readVersion(scheme, software, 'targetVersion');
    await this.refuseUnsupported(request);
    const recorded = againstInstalled ? await this.installed.ofSoftware(request.customerId, software.name) : [];
    const onTargets = new Map(recorded.map((r) => [r.system, r]));

    if (request.firstInstallation === true) {
      if (request.downgrade) refuse('a first installation cannot be a downgrade');
      const already = request.targets.flatMap((t) => onTargets.get(t.name) ?? []);
      if (already.length > 0) {
        refuse(`a first installation, but ${software.name} is installed already: ${already.map((r) => `${r.version} on ${r.system}`).join(', ')}`,
          { installed: already.map(installedOn) });
      }
      return 'first-installation';
    }

    const current = readVersion(scheme, software, 'currentVersion');
    if (againstInstalled) {
      const missing = request.targets.filter((t) => !onTargets.has(t.name)).map((t) => t.name);
      if (missing.length > 0) {
        refuse(`${software.name} is not recorded as installed on ${missing.join(', ')}: declare firstInstallation if it is new there, `
          + 'or ask an operator to record what is installed (/installed-software)', { notInstalled: missing });
      }
      const mismatched = request.targets.map((t) => onTargets.get(t.name)!).filter((r) => !sameVersion(scheme, r.version, current));
      if (mismatched.length > 0) {
        refuse(`currentVersion ${software.currentVersion} is not what is installed: ${mismatched.map((r) => `${r.system} has ${software.name} ${r.version}`).join(', ')}`,
          { installed: mismatched.map(installedOn) });
      }
    }

    const comparison = scheme.compare(current, target);
    if (comparison.kind === 'same') refuse(`targetVersion ${software.targetVersion} is the current version: there is nothing to update`);
    if (comparison.kind === 'downgrade' && !request.downgrade) {
      refuse(`targetVersion ${software.targetVersion} is lower than the current version ${software.currentVersion}: a downgrade must be declared with downgrade.reason`);
    }
    if (comparison.kind === 'upgrade' && request.downgrade) {
      refuse(`a downgrade is declared, but targetVersion ${software.targetVersion} is higher than the current version ${software.currentVersion}`);
    }
    this.refuseClientsLeftBehind(request, comparison.classification, recorded);
    return comparison.classification;
  }

  /** A vendor's release out of support is never installed; an unrecorded release is not judged. */
  private async refuseUnsupported({ software }: UpdateRequest): Promise<void> {
    const ended = await this.vendors.outOfSupport(software.vendor, software.name, software.targetVersion);
    if (ended) {
      refuse(`${software.name} ${ended.version} is out of support since ${ended.supportEndsOn} (released ${ended.releasedOn}, `
        + `supported ${ended.supportedMonths} months by ${ended.vendor}): choose a supported version`, { supportEndedOn: ended.supportEndsOn });
    }
  }

  /**
   * Newer clients work with older servers, not the other way round: a major or minor release on a
   * server needs every client host of the software in the same request.
   */
  private refuseClientsLeftBehind(request: UpdateRequest, classification: Classification, recorded: InstalledSoftware[]): void {
    if (classification !== 'major-release' && classification !== 'minor-release') return;
    // Client hosts are updated only with clientUpdateIncluded.
    const touched = new Set(touchedTargets(request).map((t) => t.name));
    const serverUpdated = recorded.some((r) => r.component === 'server' && touched.has(r.system));
    const left = recorded.filter((r) => r.component === 'client' && !touched.has(r.system)).map((r) => r.system);
    if (serverUpdated && left.length > 0) {
      refuse(`a ${classification.replace('-', ' ')} of ${request.software.name} on its server needs its clients updated in the same request: `
        + `add the client hosts ${left.join(', ')} (kind client-host, with clientUpdateIncluded)`, { clientHosts: left });
    }
  }
}

function readVersion(scheme: VersionScheme, software: UpdateRequest['software'], field: 'currentVersion' | 'targetVersion'): number[] {
  return scheme.read(software[field])
    ?? refuse(`software.${field} ${software[field]} does not follow ${software.vendor}'s version scheme ${scheme.text}`);
}

/** 2024.1 and 2024.1.0.0 are one version; a recorded version outside the scheme matches only itself. */
function sameVersion(scheme: VersionScheme, recorded: string, current: number[]): boolean {
  const parts = scheme.read(recorded);
  return parts !== undefined && parts.every((p, i) => p === current[i]);
}

const installedOn = (r: InstalledSoftware) => ({ target: r.system, version: r.version });
