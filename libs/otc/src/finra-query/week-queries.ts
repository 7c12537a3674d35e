import type { QueryRequest } from '@spine/platform/sources/query-api';
import { filtersServerSide, type FinraDataset } from './datasets.ts';
import { FINRA_FIRM_FILE_COLUMNS, queryFields, weeklySummaryRowSchema, type RowIdentity, type WeeklySummaryRow } from './row-format.ts';

/** FINRA's group of the OTC transparency datasets. */
export const FINRA_GROUP = 'otcMarket';
/** A stable order, so that offsets mean the same rows on every page (symbol x venue is the grain's key). */
const SORT_FIELDS = ['summaryTypeCode', 'issueSymbolIdentifier', 'MPID'];

/** One week's query against one dataset: what is asked, and what every row must say about itself. */
export interface WeekQuery {
  dataset: FinraDataset;
  request: QueryRequest<WeeklySummaryRow>;
  expected: RowIdentity;
  /** Rows of other grains are part of the answer (the historic dataset cannot filter on summaryTypeCode) and skipped. */
  skipOtherGrains: boolean;
  /** The file's columns: the download format, plus the firm CRD number for non-ATS weeks. */
  columns: readonly (typeof FINRA_FIRM_FILE_COLUMNS)[number][];
}

/**
 * The query of one week x tier x grain (`expected`) against `dataset`: filtered on all three where the dataset can
 * be, else on week and tier, with the grain kept on arrival (`keep=summaryTypeCode=...` in the source URI says so).
 * Named by all three in messages either way.
 */
export function weekQuery(dataset: FinraDataset, expected: RowIdentity, columns: WeekQuery['columns']): WeekQuery {
  const skipOtherGrains = !filtersServerSide(dataset).summaryTypeCode;
  const filters = skipOtherGrains ? { weekStartDate: expected.weekStartDate, tierIdentifier: expected.tierIdentifier } : expected;
  return {
    dataset,
    request: {
      group: FINRA_GROUP,
      name: dataset,
      fields: queryFields(columns),
      filters,
      sortFields: SORT_FIELDS,
      record: weeklySummaryRowSchema,
      recordsName: 'weekly summary rows',
      labelFields: expected,
      ...(skipOtherGrains ? { uriParams: { keep: `summaryTypeCode=${expected.summaryTypeCode}` } } : {}),
    },
    expected,
    skipOtherGrains,
    columns,
  };
}
