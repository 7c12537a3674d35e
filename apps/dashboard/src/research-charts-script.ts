/**
 * The research pages' chart script, served from the dashboard (the Content-Security-Policy runs no inline script):
 * for every <figure class="chart"> it reads the JSON block of its spec (@spine/platform/html/chart-spec) and draws it with Chart.js,
 * loaded before it from the dashboard's own copy. Drawn without animation, so the chart is complete when the page's
 * load event fires; the figure then gets data-drawn="<series drawn>", or data-error with what went wrong.
 * Plain JavaScript in a string, because the build ships compiled TypeScript only.
 */
export const RESEARCH_CHARTS_SCRIPT = `(() => {
  'use strict';
  const PALETTE = ['#1c7ed6', '#f76707', '#2b8a3e', '#ae3ec9', '#e03131', '#0c8599', '#5f3dc4', '#e8590c', '#495057', '#66a80f'];
  const axis = (a, position, stacked, grid) => a ? {
    position, stacked, grid: { drawOnChartArea: grid },
    title: { display: true, text: a.title }, min: a.min, max: a.max, beginAtZero: true,
  } : undefined;
  const dataset = (s, i) => {
    const color = PALETTE[i % PALETTE.length];
    const base = { label: s.label, data: s.data, borderColor: color, backgroundColor: color, yAxisID: s.right ? 'y2' : 'y', stack: s.stack };
    if (s.type === 'marker') {
      return { ...base, type: 'line', showLine: false, pointStyle: 'triangle', pointRadius: 7, pointHoverRadius: 9, backgroundColor: '#c92a2a', borderColor: '#c92a2a' };
    }
    if (s.type === 'line') return { ...base, type: 'line', borderDash: s.dashed ? [6, 4] : undefined, pointRadius: 2, spanGaps: true, borderWidth: 2 };
    return { ...base, type: 'bar' };
  };
  const draw = (figure) => {
    const block = figure.querySelector('script.chart-spec');
    const canvas = figure.querySelector('canvas');
    if (!block || !canvas) return;
    try {
      const spec = JSON.parse(block.textContent);
      const horizontal = !!spec.horizontal;
      const valueAxis = horizontal ? 'x' : 'y';
      const scales = { [horizontal ? 'y' : 'x']: { stacked: !!spec.stacked, ticks: { autoSkip: true, maxRotation: 60 } } };
      scales[valueAxis] = axis(spec.left, horizontal ? 'bottom' : 'left', !!spec.stacked, true);
      if (spec.right) scales.y2 = axis(spec.right, 'right', false, false);
      const chart = new Chart(canvas, {
        type: 'bar',
        data: { labels: spec.labels, datasets: spec.series.map(dataset).map((d) => (horizontal ? { ...d, yAxisID: undefined } : d)) },
        options: {
          animation: false, responsive: true, maintainAspectRatio: false, indexAxis: horizontal ? 'y' : 'x',
          interaction: { mode: 'index', intersect: false },
          plugins: { legend: { position: 'bottom' } },
          scales,
        },
      });
      const drawn = chart.data.datasets.filter((d, i) => chart.getDatasetMeta(i).data.length > 0 && d.data.some((v) => v !== null)).length;
      figure.setAttribute('data-drawn', String(drawn));
    } catch (error) {
      figure.setAttribute('data-error', String(error && error.message || error));
      throw error;
    }
  };
  if (typeof Chart === 'undefined') {
    for (const figure of document.querySelectorAll('figure.chart')) figure.setAttribute('data-error', 'the chart library did not load');
    return;
  }
  Chart.defaults.font.family = 'system-ui, sans-serif';
  for (const figure of document.querySelectorAll('figure.chart')) draw(figure);
})();
`;
