// A uPlot time-series chart that follows the theme, the locale and its container's width.
// Null points are gaps (nothing recorded), never drawn as 0.
import { useEffect, useRef } from "preact/hooks";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import type { SeriesRange } from "../bindings";
import type { Locale } from "../lib/format";

export interface ChartLine {
  label: string;
  values: Array<number | null>;
  /** A CSS custom property holding the colour, e.g. "--chart-1". */
  color: string;
  /** Draw bars (an amount per point, such as energy per hour) instead of a line. Each bar
   * starts at its point's time and is one step wide. */
  bars?: boolean;
}

export interface ChartProps {
  t: number[];
  lines: ChartLine[];
  range: SeriesRange;
  locale: Locale;
  theme: string;
  fmtY: (v: number) => string;
  naText: string;
  /** The legend's label for the time column. */
  timeLabel: string;
  yMin?: number;
  yMax?: number;
  /** Width of one point in seconds; bars need it to leave room for the last one. */
  stepSecs?: number;
  height?: number;
  label: string;
}

function canvasWorks(): boolean {
  try {
    return typeof document !== "undefined" && !!document.createElement("canvas").getContext("2d");
  } catch {
    return false;
  }
}

function xFormatter(locale: Locale, range: SeriesRange): (secs: number) => string {
  const f =
    range === "1y"
      ? new Intl.DateTimeFormat(locale, { month: "short", year: "numeric", timeZone: "UTC" })
      : range === "30d"
        ? new Intl.DateTimeFormat(locale, { month: "short", day: "numeric" })
        : new Intl.DateTimeFormat(locale, { hour: "2-digit", minute: "2-digit", hour12: false });
  return (secs) => f.format(secs * 1000);
}

/** The legend's time of a point. A year's points are UTC days, so they show as dates in UTC
 * (a local time zone would move midnight into the previous day). */
function pointFormatter(locale: Locale, range: SeriesRange): Intl.DateTimeFormat {
  return range === "1y"
    ? new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: "UTC" })
    : new Intl.DateTimeFormat(locale, { dateStyle: "short", timeStyle: "short" });
}

/** A translucent version of a hex colour, for the inside of bars. */
function tint(hex: string, alpha: number): string {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) return hex;
  const [r, g, b] = [m[1], m[2], m[3]].map((x) => parseInt(x ?? "0", 16));
  return `rgba(${r}, ${g}, ${b}, ${alpha})`;
}

function latest(values: Array<number | null>): number | null {
  for (let i = values.length - 1; i >= 0; i--) {
    const v = values[i];
    if (v !== null && v !== undefined) return v;
  }
  return null;
}

function cssVar(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || "#888";
}

export function Chart(props: ChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const height = props.height ?? 160;
  const data: uPlot.AlignedData = [props.t, ...props.lines.map((l) => l.values)];

  // (Re)create when what the chart looks like changes: theme, locale, range, lines.
  const shape = `${props.theme}|${props.locale}|${props.range}|${props.stepSecs ?? 0}|${props.t.length > 120}|${props.lines.map((l) => `${l.label}:${l.bars ? "b" : "l"}`).join(",")}`;
  useEffect(() => {
    const el = box.current;
    if (!el || !canvasWorks()) return;
    const muted = cssVar("--muted");
    const grid = cssVar("--grid");
    const fmtX = xFormatter(props.locale, props.range);
    const fmtFull = pointFormatter(props.locale, props.range);
    const anyBars = props.lines.some((l) => l.bars);
    const barWidth = props.stepSecs ?? 0;
    const dense = props.t.length > 120;
    const bars = anyBars ? uPlot.paths.bars?.({ size: [0.9, Infinity], align: 1 }) : undefined;
    const opts: uPlot.Options = {
      width: Math.max(200, el.clientWidth),
      height,
      series: [
        { label: props.timeLabel, value: (_u, v) => (v == null ? "" : fmtFull.format(v * 1000)) },
        ...props.lines.map((l) => ({
          label: l.label,
          stroke: cssVar(l.color),
          // Hundreds of bars side by side: outlines would paint over the lighter fill.
          width: l.bars ? (dense ? 0 : 1) : 2,
          ...(l.bars && bars ? { fill: tint(cssVar(l.color), props.theme === "dark" ? 0.55 : 0.35), paths: bars } : {}),
          spanGaps: false,
          points: { show: false },
          // Under the cursor: that point ("not available" in a gap). Elsewhere: the latest value.
          value: (_u: uPlot, v: number | null, _si: number, idx: number | null) => {
            if (idx == null) {
              const last = latest(l.values);
              return last === null ? props.naText : props.fmtY(last);
            }
            return v == null ? props.naText : props.fmtY(v);
          },
        })),
      ],
      scales: {
        // Bars start at their point's time: the last one needs a step of room on the right.
        x: { time: true, ...(anyBars && barWidth > 0 ? { range: (_u: uPlot, min: number, max: number): uPlot.Range.MinMax => [min, max + barWidth] } : {}) },
        y: {
          range: (_u, min, max) => {
            const lo = props.yMin ?? Math.min(0, Number.isFinite(min) ? min : 0);
            const hi = props.yMax ?? (Number.isFinite(max) && max > lo ? max * 1.15 : lo + 1);
            return [lo, hi];
          },
        },
      },
      axes: [
        { stroke: muted, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 }, values: (_u, splits) => splits.map(fmtX) },
        { stroke: muted, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 }, size: 76, values: (_u, splits) => splits.map((v) => props.fmtY(v)) },
      ],
      cursor: { drag: { x: false, y: false } },
      legend: { show: true, live: true },
    };
    const u = new uPlot(opts, data, el);
    plot.current = u;
    let ro: ResizeObserver | null = null;
    if (typeof ResizeObserver !== "undefined") {
      // Only a real change of width resizes: the legend's own layout must not feed back
      // into an endless observe → resize → observe loop that keeps the page repainting.
      let lastWidth = Math.max(200, el.clientWidth);
      ro = new ResizeObserver(() => {
        const w = Math.max(200, el.clientWidth);
        if (w !== lastWidth) {
          lastWidth = w;
          u.setSize({ width: w, height });
        }
      });
      ro.observe(el);
    }
    return () => {
      ro?.disconnect();
      u.destroy();
      plot.current = null;
    };
    // `data` is applied by the effect below; `shape` covers the rest.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [shape, height]);

  useEffect(() => {
    plot.current?.setData(data);
    // Redraw only when the series themselves change, not on every render of the page.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [props.t, ...props.lines.map((l) => l.values)]);

  return <div class="chart" ref={box} role="img" aria-label={props.label} />;
}
