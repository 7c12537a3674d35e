import { spawnSpine, type SpineChild } from '@spine/cli/spawn-spine';

/** A `spine dashboard` child process on a free port with `env` over this process's environment, and its address. */
export async function spawnDashboard(env: Record<string, string>): Promise<{ child: SpineChild; url: string }> {
  const child = await spawnSpine(['dashboard', '--port', '0'], { ...process.env, ...env }, { startedMessage: 'dashboard started' });
  const url = /"url":"(http:[^"]+)"/.exec(child.output())?.[1];
  if (!url) throw new Error(`the dashboard did not log its address: ${child.output().slice(-500)}`);
  return { child, url };
}
