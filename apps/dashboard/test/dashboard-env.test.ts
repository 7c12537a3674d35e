import { describe, expect, it } from 'vitest';
import { parseEnv } from '@spine/platform/config';
import { dashboardEnvSchema } from '../src/dashboard-env.ts';

const load = (source: Record<string, string>) => parseEnv(dashboardEnvSchema, source);

describe("the dashboard's variables", () => {
  it('validate the proxy setting', () => {
    expect(load({ DASHBOARD_TRUST_PROXY: 'loopback, 10.0.0.0/8' }).DASHBOARD_TRUST_PROXY).toEqual(['loopback', '10.0.0.0/8']);
    expect(load({}).DASHBOARD_TRUST_PROXY).toBe(false);
    expect(load({ DASHBOARD_TRUST_PROXY: '2' }).DASHBOARD_TRUST_PROXY).toBe(2);
    expect(() => load({ DASHBOARD_TRUST_PROXY: 'everyone' })).toThrow(/DASHBOARD_TRUST_PROXY/);
  });

  it('name a bad password without printing it', () => {
    let message = '';
    try {
      load({ DASHBOARD_ADMIN_PASSWORD: 'PLANTED' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('DASHBOARD_ADMIN_PASSWORD: at least 8 characters');
    expect(message).not.toContain('PLANTED');
  });
});
