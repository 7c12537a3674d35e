export { startDashboard, type DashboardHandle } from './dashboard-server.ts';
