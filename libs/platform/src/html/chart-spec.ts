import { html, Html } from './html.ts';

/** One series of a chart: a value per label (null where the series has none). */
export interface ChartSeries {
  label: string;
  data: (number | null)[];
  /** Drawn as bars or a line; a marker series draws points only (revision markers). */
  type?: 'bar' | 'line' | 'marker';
  /** The right-hand axis instead of the left one. */
  right?: boolean;
  /** Bars of the same stack are stacked. */
  stack?: string;
  /** A dashed line (rolling figures beside the weekly ones). */
  dashed?: boolean;
}

export interface ChartAxis {
  title: string;
  min?: number;
  max?: number;
}

/**
 * What the page script draws: data only (labels, series, axes), no code, so that the page carries it as a JSON block
 * (which the Content-Security-Policy does not run) and the script served from the dashboard turns it into a chart.
 */
export interface ChartSpec {
  labels: string[];
  series: ChartSeries[];
  left: ChartAxis;
  right?: ChartAxis;
  /** Bars stacked (series with the same `stack`). */
  stacked?: boolean;
  /** Bars laid out horizontally (a ranking). */
  horizontal?: boolean;
}

/** JSON that cannot end the <script> block it sits in, whatever the strings in it hold. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/**
 * A chart on a page: a figure with its caption and a canvas the page script draws `spec` on. A series without a value
 * is left out (no legend entry for what the data does not hold); `data-series` says how many remain: the browser
 * tests compare it with what was drawn.
 */
export function chartFigure(id: string, caption: string, spec: ChartSpec): Html {
  const series = spec.series.filter((s) => s.data.some((v) => v !== null));
  return html`<figure class="chart" id="${id}" data-series="${series.length}"><figcaption>${caption}</figcaption>
    <div class="chart-box"><canvas aria-label="${caption}" role="img"></canvas></div>
    <script type="application/json" class="chart-spec">${new Html(scriptJson({ ...spec, series }))}</script></figure>`;
}
