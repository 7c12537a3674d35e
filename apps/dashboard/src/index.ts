export { startDashboard, type DashboardHandle } from './dashboard-server.ts';
export { revokeAllSessions } from './session-lifetime.ts';
