/** The dataset's name in the core tables (core_captures.domain, core_calc_dependencies.domain). */
export const DOMAIN = 'otc';
/** The pipeline its executions are recorded under. */
export const PIPELINE = 'otc_weekly';
