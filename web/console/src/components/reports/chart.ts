// The one place uPlot is used. ReportChart imports this module dynamically,
// so uPlot and its stylesheet become a chunk of their own that only the
// reports screen loads: the desk's bundle does not carry them.
import uPlot from 'uplot'
import 'uplot/dist/uPlot.min.css'

export interface ChartSeries {
  label: string
  values: (number | null)[]
  /** colour is a CSS variable of styles/base.css, read when drawing (light or dark). */
  colour: string
}

export interface ChartSpec {
  kind: 'line' | 'bars'
  /** labels name the x positions (hours, reasons), evenly spaced. */
  labels: string[]
  series: ChartSeries[]
  /** unit formats the y axis' ticks. */
  unit: (v: number) => string
  /** steps are the y axis' tick spacings: whole counts, or round durations in seconds. */
  steps: 'count' | 'seconds'
}

// Tick spacings: a count of 1.5 or a wait of 0:00.4 is no figure anyone reads.
const STEPS = {
  count: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 50000],
  seconds: [1, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14400, 43200, 86400],
}

function cssVar(el: HTMLElement, name: string): string {
  return getComputedStyle(el).getPropertyValue(name).trim() || '#666'
}

/** draw renders spec into el (replacing what was there) and returns the chart. */
export function draw(el: HTMLElement, spec: ChartSpec, width: number): uPlot {
  const text = cssVar(el, '--text-2')
  const grid = cssVar(el, '--border')
  const xs = spec.labels.map((_, i) => i)
  const bars = spec.kind === 'bars' ? uPlot.paths.bars!({ size: [0.6, 64] }) : undefined
  const axis = { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } }
  el.replaceChildren()
  return new uPlot(
    {
      width: Math.max(240, width),
      height: 220,
      legend: { show: false },
      cursor: { drag: { x: false, y: false, setScale: false } },
      scales: { x: { time: false, range: [-0.5, Math.max(0.5, xs.length - 0.5)] }, y: { range: (_u, _min, max) => [0, Math.max(1, max * 1.1)] } },
      axes: [
        { ...axis, splits: () => xs, values: (_u, splits) => splits.map((i) => spec.labels[i] ?? '') },
        { ...axis, size: 56, incrs: STEPS[spec.steps], values: (_u, splits) => splits.map((v) => spec.unit(v)) },
      ],
      series: [
        {},
        ...spec.series.map((s) => {
          const c = cssVar(el, s.colour)
          return { label: s.label, stroke: c, width: 2, fill: bars ? c : undefined, paths: bars, points: { show: !bars, size: 6, fill: c } }
        }),
      ],
    },
    [xs, ...spec.series.map((s) => s.values)],
    el,
  )
}
