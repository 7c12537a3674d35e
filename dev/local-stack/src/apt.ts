import type { Log } from './log.ts';
import { isRoot, runCommand, which } from './proc.ts';

export interface InstallPolicy {
  /** false: never run apt-get, just explain what to install. */
  allowInstall: boolean;
  log: Log;
}

let updated = false;

/**
 * Installs Debian packages with apt-get (output streamed to stderr). Only as root and only when allowed;
 * otherwise throws an error saying what to install. `apt-get update` runs once per process.
 */
export async function aptInstall(packages: string[], why: string, policy: InstallPolicy, orElse: string): Promise<void> {
  const manual = `apt-get install -y ${packages.join(' ')}`;
  if (!policy.allowInstall) throw new Error(`${why}; install it (\`sudo ${manual}\`) and run again, or ${orElse}`);
  if (!isRoot()) throw new Error(`${why}, and installing it needs root: run \`sudo ${manual}\` and run again, or ${orElse}`);
  if (!which('apt-get')) {
    throw new Error(`${why}, and apt-get is not available here: install ${packages.join(', ')} with your package manager, or ${orElse}`);
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (!updated) {
    policy.log(`apt: running apt-get update (${why})`);
    await runCommand('apt-get', ['update'], { env, output: 'stderr' });
    updated = true;
  }
  policy.log(`apt: running ${manual}`);
  await runCommand('apt-get', ['install', '-y', '--no-install-recommends', ...packages], { env, output: 'stderr' });
}
