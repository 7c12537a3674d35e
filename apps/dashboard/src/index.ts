export { startDashboard, type DashboardHandle, type DashboardOptions } from './dashboard-server.ts';
export { revokeAllSessions } from './session-lifetime.ts';
