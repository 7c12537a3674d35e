/**
 * The dashboard's one module that imports a dataset's code: the research pages (research-*.ts) are OTC's pages, drawn
 * from its read models and schemas. Its API, `spine query` and `spine export` reach OTC's research through its
 * definition (the registry); the pages are next (issue 19), and until they move into OTC's research module they take
 * what they read from here, and no other file of the apps imports a dataset.
 */
export { OTC_ENDPOINTS } from '@spine/otc/research/endpoints';
export { concentrationDistribution } from '@spine/otc/research/concentration-distribution';
export { downloadTable } from '@spine/otc/research/export-download';
export { EXPORT_TABLES } from '@spine/otc/research/export-tables';
export { loadLag } from '@spine/otc/research/load-lag';
export { downloadQuery, fridaySchema, symbolHistoryQuery, symbolSchema, weekTierQuery, type DownloadRequest } from '@spine/otc/research/request-schemas';
export type { Dataset, Partition, Provenance, SymbolWeek, VenueWeek } from '@spine/otc/research/response-schemas';
export { OTHER_VENUES, symbolVenueShares } from '@spine/otc/research/symbol-venue-shares';
