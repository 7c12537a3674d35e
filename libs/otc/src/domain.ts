/** The dataset's name in the core tables (core_captures.domain, core_calc_dependencies.domain). */
export const DOMAIN = 'otc';
