// Hand-made SVG charts. Each is an image with a title and a description for screen readers,
// and its numbers are also given as text (a table) beside it.
import { useEffect, useRef, useState } from 'preact/hooks';
import { html } from './html.js';
import { dayNumber, label, measure, shortDate } from './format.js';

let serial = 0;
const nextId = (prefix) => `${prefix}-${(serial += 1)}`;

/** Round steps (1, 2, 2.5, 5 x 10^n) covering lo..hi, about `count` of them. */
export function ticks(lo, hi, count = 4) {
  if (lo === hi) return [lo - 1, lo, lo + 1];
  const raw = (hi - lo) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= raw);
  const first = Math.floor(lo / step) * step;
  const found = [];
  for (let v = first; v <= hi + step * 1e-9; v += step) found.push(Number(v.toFixed(10)));
  if (found[found.length - 1] < hi) found.push(Number((found[found.length - 1] + step).toFixed(10)));
  return found;
}

const short = (n) => String(Number(n.toFixed(2)));

/**
 * The width the chart has on screen, in CSS pixels, so that the SVG is drawn at that size
 * and its text stays readable on a phone instead of shrinking with the picture.
 */
function useWidth(fallback, max) {
  const ref = useRef(null);
  const [width, setWidth] = useState(fallback);
  useEffect(() => {
    const element = ref.current;
    if (!element) return undefined;
    const measure = () => setWidth(Math.max(240, Math.min(max, Math.floor(element.clientWidth) || fallback)));
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return [ref, width];
}

/** An outcome's observations as a line, against its baseline and target as level lines. */
export function OutcomeChart({ outcome }) {
  const observations = outcome.observations ?? [];
  const baseline = outcome.baseline === null ? null : Number(outcome.baseline);
  const target = outcome.target === null ? null : Number(outcome.target);
  const [ref, W] = useWidth(600, 680);
  if (!observations.length && baseline === null) {
    return html`<p class="muted" ref=${ref}>Nothing to chart yet: no baseline and no observation.</p>`;
  }
  const H = W < 420 ? 220 : 260;
  const M = { left: 48, right: W < 420 ? 88 : 100, top: 16, bottom: 40 };
  const points = observations.map((o) => ({ x: dayNumber(o.observedOn), y: Number(o.value), o }));
  const xs = points.map((p) => p.x);
  if (outcome.baselineOn) xs.push(dayNumber(outcome.baselineOn));
  const dated = xs.length > 0;
  let [x0, x1] = xs.length ? [Math.min(...xs), Math.max(...xs)] : [0, 1];
  if (x0 === x1) [x0, x1] = [x0 - 15, x1 + 15];
  const ys = [...points.map((p) => p.y), baseline, target].filter((v) => v !== null);
  const scale = ticks(Math.min(...ys), Math.max(...ys), 4);
  const [y0, y1] = [scale[0], scale[scale.length - 1]];
  const px = (x) => M.left + ((x - x0) / (x1 - x0)) * (W - M.left - M.right);
  const py = (y) => H - M.bottom - ((y - y0) / (y1 - y0 || 1)) * (H - M.top - M.bottom);
  const titleId = nextId('chart-title');
  const descId = nextId('chart-desc');
  const unit = outcome.unit;
  const latest = observations[observations.length - 1];
  const description = [
    baseline !== null && `Baseline ${measure(outcome.baseline, unit)}${outcome.baselineOn ? ` on ${shortDate(outcome.baselineOn)}` : ''}.`,
    target !== null && `Target ${measure(outcome.target, unit)}.`,
    observations.length
      ? `${observations.length} observation${observations.length === 1 ? '' : 's'}, from ${shortDate(observations[0].observedOn)}; latest ${measure(latest.value, unit)} on ${shortDate(latest.observedOn)}.`
      : 'No observations yet.',
    outcome.higherIsBetter ? 'Higher is better.' : 'Lower is better.',
    outcome.improved === true && 'Improved on the baseline.',
    outcome.improved === false && 'Not better than the baseline.',
  ].filter(Boolean).join(' ');
  const line = points.map((p) => `${px(p.x).toFixed(1)},${py(p.y).toFixed(1)}`).join(' ');
  const level = (value, name, cls) => value !== null && html`
    <g class=${cls}>
      <line x1=${M.left} x2=${W - M.right} y1=${py(value)} y2=${py(value)} />
      <text x=${W - M.right + 6} y=${py(value) + 4}>${name} ${short(value)}</text>
    </g>`;
  return html`
    <figure class="chart outcome-chart" ref=${ref}>
      <svg viewBox=${`0 0 ${W} ${H}`} width=${W} height=${H} role="img" aria-labelledby=${`${titleId} ${descId}`} focusable="false">
        <title id=${titleId}>${outcome.name} (${unit}): observations against baseline and target</title>
        <desc id=${descId}>${description}</desc>
        <g class="grid" aria-hidden="true">
          ${scale.map((v) => html`
            <line key=${`g${v}`} x1=${M.left} x2=${W - M.right} y1=${py(v)} y2=${py(v)} />
            <text key=${`t${v}`} x=${M.left - 8} y=${py(v) + 4} text-anchor="end">${short(v)}</text>`)}
          ${dated && html`
            <text x=${M.left} y=${H - 12} text-anchor="start">${shortDate(new Date(x0 * 86400000).toISOString().slice(0, 10))}</text>
            <text x=${W - M.right} y=${H - 12} text-anchor="end">${shortDate(new Date(x1 * 86400000).toISOString().slice(0, 10))}</text>`}
        </g>
        ${level(baseline, 'Baseline', 'level baseline')}
        ${level(target, 'Target', 'level target')}
        ${baseline !== null && outcome.baselineOn && html`<circle class="dot-baseline" cx=${px(dayNumber(outcome.baselineOn))} cy=${py(baseline)} r="5" />`}
        ${points.length > 1 && html`<polyline class="series" points=${line} />`}
        ${points.map((p, i) => html`<circle key=${i} class="dot" cx=${px(p.x)} cy=${py(p.y)} r="4.5" />`)}
      </svg>
      <div class="visually-hidden"><table>
        <caption>${outcome.name}: figures</caption>
        <thead><tr><th scope="col">What</th><th scope="col">Date</th><th scope="col">Value</th></tr></thead>
        <tbody>
          ${baseline !== null && html`<tr><th scope="row">Baseline</th><td>${shortDate(outcome.baselineOn)}</td><td>${measure(outcome.baseline, unit)}</td></tr>`}
          ${observations.map((o, i) => html`<tr key=${i}><th scope="row">Observation${o.note ? `: ${o.note}` : ''}</th><td>${shortDate(o.observedOn)}</td><td>${measure(o.value, unit)}</td></tr>`)}
          ${target !== null && html`<tr><th scope="row">Target</th><td></td><td>${measure(outcome.target, unit)}</td></tr>`}
        </tbody>
      </table></div>
      <figcaption class="legend" aria-hidden="true">
        <span class="key key-series">Observations</span>
        ${baseline !== null && html`<span class="key key-baseline">Baseline</span>`}
        ${target !== null && html`<span class="key key-target">Target</span>`}
      </figcaption>
    </figure>`;
}

/**
 * Horizontal bars, one per item ({ key, label, count, href }), as a list: each bar is a link
 * to the projects (or lessons) behind it when it has an `href`, named with its number.
 */
export function BarChart({ items, caption, unitWord = 'projects', note }) {
  if (!items.length) return html`<p class="muted">None yet.</p>`;
  const max = Math.max(1, ...items.map((i) => i.count));
  const id = nextId('bars');
  return html`
    <figure class="chart bar-chart" aria-labelledby=${id}>
      <figcaption id=${id} class="visually-hidden">${caption}${note ? `. ${note}` : ''}</figcaption>
      <ul class="bars">
        ${items.map((item) => {
          const words = `${item.label}: ${item.count} ${item.count === 1 ? unitWord.replace(/s$/, '') : unitWord}`;
          const inner = html`
            <span class="bar-label">${item.label}</span>
            <span class="bar-line" aria-hidden="true">
              <span class="bar" style=${{ width: `${Math.max(item.count ? 1 : 0, (item.count / max) * 100)}%` }}></span>
              <span class="bar-value">${item.count}</span>
            </span>`;
          return html`
            <li key=${item.key ?? item.label}>
              ${item.href && item.count
                ? html`<a class="bar-row" href=${item.href} aria-label=${words}>${inner}</a>`
                : html`<span class="bar-row" aria-label=${words} role="img">${inner}</span>`}
            </li>`;
        })}
      </ul>
      ${note && html`<p class="small muted chart-note">${note}</p>`}
    </figure>`;
}

const SEGMENTS = [['active', 'Active'], ['onHold', 'On hold'], ['stopped', 'Stopped']];
const STATUS_OF = { active: 'ACTIVE', onHold: 'ON_HOLD', stopped: 'STOPPED' };

/** The funnel: projects at each stage now, each bar split by status. */
export function FunnelChart({ stages, hrefOf }) {
  const [ref, W] = useWidth(600, 640);
  const ROW = 52;
  const LABEL = W < 420 ? 96 : 120;
  const max = Math.max(1, ...stages.map((s) => s.count));
  const titleId = nextId('funnel-title');
  const descId = nextId('funnel-desc');
  const H = stages.length * ROW;
  const span = W - LABEL - 10;
  const description = stages.map((s) =>
    `${label(s.stage)}: ${s.count} (${s.active} active, ${s.onHold} on hold, ${s.stopped} stopped)`).join('; ');
  return html`
    <figure class="chart funnel-chart" ref=${ref} aria-labelledby=${`${titleId} ${descId}`}>
      <p class="visually-hidden"><span id=${titleId}>Projects at each stage now, by status: </span>
        <span id=${descId} class="chart-description">${description}</span></p>
      <svg viewBox=${`0 0 ${W} ${H}`} width=${W} height=${H} aria-hidden="true" focusable="false">
        ${stages.map((s, i) => {
          const total = (s.count / max) * span;
          let x = LABEL + (span - total) / 2;
          return html`
            <g key=${s.stage} transform=${`translate(0 ${i * ROW})`}>
              <text class="funnel-label" x="0" y="24">${label(s.stage)}</text>
              <text class="funnel-count" x="0" y="42">${s.count} ${s.count === 1 ? 'project' : 'projects'}</text>
              ${total === 0 && html`<line class="funnel-empty" x1=${LABEL} x2=${W - 10} y1="26" y2="26" />`}
              ${SEGMENTS.map(([field, name]) => {
                const width = (s[field] / max) * span;
                const shape = html`<rect class=${`segment segment-${field}`} x=${x} y="8" width=${width} height="36"><title>${name}: ${s[field]}</title></rect>`;
                // Bars lead to their projects for the mouse; the table beside is the way by keyboard.
                const rect = width > 0 && (hrefOf
                  ? html`<a key=${field} href=${hrefOf(s.stage, STATUS_OF[field])} tabindex="-1" aria-hidden="true">${shape}</a>`
                  : html`<g key=${field}>${shape}</g>`);
                x += width;
                return rect;
              })}
            </g>`;
        })}
      </svg>
      <figcaption class="legend" aria-hidden="true">
        ${SEGMENTS.map(([field, name]) => html`<span key=${field} class=${`key key-${field}`}>${name}</span>`)}
      </figcaption>
    </figure>`;
}
