import { afterEach, describe, expect, inject, it } from 'vitest';
import type { DashboardHandle } from '@spine/dashboard';
import { ADMIN, VIEWER, formSignIn, startTestDashboard } from '../support/dashboard.ts';
import { runSpine } from '../support/spine-cli.ts';

// One secret for every start: a restart alone keeps sessions.
const SECRET = { DASHBOARD_SESSION_SECRET: 'a-session-secret-for-tests-0123456789' };

let dashboard: DashboardHandle | undefined;
afterEach(async () => {
  await dashboard?.close();
  dashboard = undefined;
});

async function restart(env: Record<string, string>): Promise<DashboardHandle> {
  await dashboard?.close();
  dashboard = await startTestDashboard({ ...SECRET, ...env });
  return dashboard;
}

async function lagWith(cookie: string): Promise<number> {
  return (await fetch(`${dashboard!.url}/api/lag`, { headers: { cookie } })).status;
}

describe('dashboard sessions', () => {
  it('end when the password they were issued for changes, or their role is removed', async () => {
    const first = await restart({});
    const admin = await formSignIn(first.url, ADMIN);
    const viewer = await formSignIn(first.url, VIEWER);
    expect([admin.status, viewer.status]).toEqual([303, 303]);

    await restart({});
    expect([await lagWith(admin.cookie), await lagWith(viewer.cookie)]).toEqual([200, 200]);

    // A new admin password, no viewer.
    await restart({ DASHBOARD_ADMIN_PASSWORD: 'a-new-admin-password', DASHBOARD_VIEWER_PASSWORD: '' });
    expect([await lagWith(admin.cookie), await lagWith(viewer.cookie)]).toEqual([401, 401]);
    const again = await formSignIn(dashboard!.url, { user: ADMIN.user, password: 'a-new-admin-password' });
    expect(await lagWith(again.cookie)).toBe(200);
  });

  it('all end with spine dashboard revoke-sessions, and new ones work', async () => {
    const { url } = await restart({});
    const before = await formSignIn(url, ADMIN);
    expect(await lagWith(before.cookie)).toBe(200);

    const revoke = await runSpine(['dashboard', 'revoke-sessions'], { DATABASE_URL: inject('databaseUrl') });
    expect(revoke.stderr).toBe('');
    expect(revoke.code).toBe(0);
    expect(revoke.stdout).toMatch(/^ended every dashboard session issued before \S+ \(session generation \d+\)\n$/);

    expect(await lagWith(before.cookie)).toBe(401);
    const after = await formSignIn(url, ADMIN);
    expect(await lagWith(after.cookie)).toBe(200);
  });
});
