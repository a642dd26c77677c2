// What a project has recorded: evidence, outcomes with their charts, money, lessons.
import { html } from '../lib/html.js';
import { date, label, measure, money, percent, shortDate } from '../lib/format.js';
import { OutcomeChart } from '../lib/charts.js';
import { Badge, TableWrap } from '../lib/ui.js';

function SectionHead({ id, title, action }) {
  return html`
    <div class="section-head">
      <h2 id=${`${id}-heading`}>${title}</h2>
      ${action}
    </div>`;
}

function More({ connection, what }) {
  return connection.totalCount > connection.nodes.length
    && html`<p class="small">Showing the first ${connection.nodes.length} of ${connection.totalCount} ${what}.</p>`;
}

export function EvidenceList({ project, writable }) {
  const { evidence } = project;
  const action = writable && html`<a class="button secondary" href=${`/projects/${project.id}/evidence/new`}>Record evidence</a>`;
  return html`
    <section id="evidence" class="panel" aria-labelledby="evidence-heading">
      <${SectionHead} id="evidence" title="Evidence" action=${action} />
      <p>Evidence level now: <strong>${project.evidenceLevel} of 5</strong>, worked out from the evidence below.</p>
      ${evidence.nodes.length === 0 && html`<p class="muted">No evidence recorded yet.</p>`}
      <ul class="records">
        ${evidence.nodes.map((e) => html`
          <li key=${e.id} class="record">
            <h3 class="h4">${e.title}</h3>
            <p class="badges"><span class="badge">Level ${e.level}</span> <span class="badge">${label(e.kind)}</span>
              ${e.independent && html` <span class="badge badge-strong">Independent</span>`}</p>
            <p>${e.summary}</p>
            <p class="small muted">At ${label(e.stage).toLowerCase()} stage, ${date(e.recordedAt)}${e.recordedBy ? `, by ${e.recordedBy.name}` : ''}</p>
            ${e.reference && html`<p class="small">Reference: ${e.reference}</p>`}
          </li>`)}
      </ul>
      <${More} connection=${evidence} what="items" />
    </section>`;
}

function Outcome({ project, outcome, writable }) {
  return html`
    <li class="record outcome">
      <h3 class="h4">${outcome.name}</h3>
      <dl class="facts">
        <div><dt>Baseline</dt><dd>${outcome.baseline !== null ? measure(outcome.baseline, outcome.unit) : 'None'}${outcome.baselineOn ? ` (${date(outcome.baselineOn)})` : ''}</dd></div>
        <div><dt>Target</dt><dd>${outcome.target !== null ? measure(outcome.target, outcome.unit) : 'None'}</dd></div>
        <div><dt>Latest</dt><dd>${outcome.latest !== null ? measure(outcome.latest, outcome.unit) : 'No observation yet'}</dd></div>
        <div><dt>Better when</dt><dd>${outcome.higherIsBetter ? 'higher' : 'lower'}</dd></div>
        ${outcome.improved !== null && html`<div><dt>Against the baseline</dt><dd>${outcome.improved ? 'Improved' : 'Not improved'} (${outcome.change > 0 ? '+' : ''}${measure(outcome.change, outcome.unit)})</dd></div>`}
      </dl>
      <${OutcomeChart} outcome=${outcome} />
      ${writable && html`<p><a href=${`/projects/${project.id}/outcomes/${outcome.id}/observations/new`}>Add an observation<span class="visually-hidden"> of ${outcome.name}</span></a></p>`}
    </li>`;
}

export function Outcomes({ project, writable }) {
  const action = writable && html`<a class="button secondary" href=${`/projects/${project.id}/outcomes/new`}>Define an outcome</a>`;
  return html`
    <section id="outcomes" class="panel" aria-labelledby="outcomes-heading">
      <${SectionHead} id="outcomes" title="Outcomes" action=${action} />
      ${project.outcomes.length === 0 && html`<p class="muted">No outcome defined yet: name what the project wants to change, with a baseline.</p>`}
      <ul class="records">
        ${project.outcomes.map((o) => html`<${Outcome} key=${o.id} project=${project} outcome=${o} writable=${writable} />`)}
      </ul>
    </section>`;
}

function Figure({ name, value, help }) {
  // An amount stays on one line ("−£4,050.00" never breaks after its sign); words may wrap.
  const amount = /^−?£/.test(value);
  return html`<div class="figure"><dt>${name}</dt><dd><span class=${amount ? 'figure-value nowrap' : 'figure-value'}>${value}</span>${help && html`<span class="figure-help">${help}</span>`}</dd></div>`;
}

function period(line) {
  if (!line.periodStart && !line.periodEnd) return '';
  return `${shortDate(line.periodStart) || '…'} to ${shortDate(line.periodEnd) || '…'}`;
}

export function Economics({ project, writable }) {
  const e = project.economics;
  const base = `/projects/${project.id}`;
  const action = writable && html`
    <span class="button-row">
      <a class="button secondary" href=${`${base}/costs/new`}>Record a cost</a>
      <a class="button secondary" href=${`${base}/benefits/new`}>Record a benefit</a>
    </span>`;
  const ratio = e.benefitCostRatio === null ? 'None yet' : e.benefitCostRatio.toFixed(2);
  return html`
    <section id="money" class="panel" aria-labelledby="money-heading">
      <${SectionHead} id="money" title="Costs and benefits" action=${action} />
      <dl class="figures">
        <${Figure} name="Costs as recorded" value=${money(e.grossCost)} />
        <${Figure} name="Costs after optimism bias" value=${money(e.totalCost)} help="Raised by the bias of each line's confidence grade" />
        <${Figure} name="Benefits as recorded" value=${money(e.grossBenefit)} />
        <${Figure} name="Adjusted benefits" value=${money(e.adjustedBenefit)} help="After deadweight, attribution and optimism bias" />
        <${Figure} name="Net benefit" value=${money(e.netBenefit)} help="Adjusted benefits less costs" />
        <${Figure} name="Benefit-cost ratio" value=${ratio} help=${e.benefitCostRatio === null ? 'Needs costs' : `£${e.benefitCostRatio.toFixed(2)} of benefit for each £1 of cost`} />
        <${Figure} name="Fiscal return on investment" value=${e.fiscalRoi === null ? 'None yet' : percent(e.fiscalRoi)} help=${e.fiscalRoi === null ? 'Needs costs' : 'Cashable savings beyond each £1 spent'} />
        <${Figure} name="Payback" value=${e.paybackMonths === null ? 'Not yet' : `${e.paybackMonths} ${e.paybackMonths === 1 ? 'month' : 'months'}`} help="When fiscal benefits catch up with costs" />
        <${Figure} name="Present value of benefits" value=${money(e.presentValueBenefit)} help="Discounted at 3.5% a year (Green Book)" />
      </dl>
      <h3>Cost lines</h3>
      ${project.costs.nodes.length === 0 ? html`<p class="muted">No costs recorded yet.</p>` : html`
        <${TableWrap} label="Cost lines">
          <table class="table">
            <thead><tr><th scope="col">Cost</th><th scope="col">Category</th><th scope="col">Stage</th><th scope="col">Period</th><th scope="col">Confidence</th><th scope="col" class="num">Amount</th><th scope="col" class="num">After bias</th></tr></thead>
            <tbody>
              ${project.costs.nodes.map((c) => html`
                <tr key=${c.id}>
                  <th scope="row">${c.description}${c.recurring ? ' (recurring)' : ''}${c.fundingSource ? html`<span class="small muted block">Funded by ${c.fundingSource}</span>` : ''}</th>
                  <td>${label(c.category)}</td><td>${label(c.stage)}</td><td>${period(c)}</td><td>${c.confidence}</td>
                  <td class="num">${money(c.amount)}</td><td class="num">${money(c.adjustedAmount)}</td>
                </tr>`)}
            </tbody>
          </table>
        <//>
        <${More} connection=${project.costs} what="costs" />`}
      <h3>Benefit lines</h3>
      ${project.benefits.nodes.length === 0 ? html`<p class="muted">No benefits recorded yet.</p>` : html`
        <${TableWrap} label="Benefit lines">
          <table class="table">
            <thead><tr><th scope="col">Benefit</th><th scope="col">Kind</th><th scope="col">Deadweight</th><th scope="col">Attribution</th><th scope="col">Confidence</th><th scope="col" class="num">Amount</th><th scope="col" class="num">Adjusted</th></tr></thead>
            <tbody>
              ${project.benefits.nodes.map((b) => html`
                <tr key=${b.id}>
                  <th scope="row">${b.description}${b.beneficiary ? html`<span class="small muted block">To ${b.beneficiary}</span>` : ''}${period(b) ? html`<span class="small muted block">${period(b)}</span>` : ''}</th>
                  <td>${label(b.kind)}</td><td>${percent(b.deadweight)}</td><td>${percent(b.attribution)}</td><td>${b.confidence}</td>
                  <td class="num">${b.amount ? money(b.amount) : 'Not in money'}</td><td class="num">${b.adjustedAmount ? money(b.adjustedAmount) : ''}</td>
                </tr>`)}
            </tbody>
          </table>
        <//>
        <${More} connection=${project.benefits} what="benefits" />`}
    </section>`;
}

export function Lessons({ project, writable }) {
  const { lessons } = project;
  const action = writable && html`<a class="button secondary" href=${`/projects/${project.id}/lessons/new`}>Record a lesson</a>`;
  return html`
    <section id="lessons" class="panel" aria-labelledby="lessons-heading">
      <${SectionHead} id="lessons" title="Lessons" action=${action} />
      ${lessons.nodes.length === 0 && html`<p class="muted">No lesson recorded yet. What worked, what did not, and why?</p>`}
      <ul class="records">
        ${lessons.nodes.map((l) => html`
          <li key=${l.id} class="record">
            <h3 class="h4"><a href=${`/lessons/${l.id}`}>${l.title}</a></h3>
            <p class="badges"><${Badge} value=${l.kind} kind="lesson" /> <span class="badge">From ${label(l.stage).toLowerCase()}</span>
              ${l.anonymised && html` <span class="badge">Anonymised</span>`}</p>
            <p class="prose">${l.body}</p>
            ${l.barriers.length > 0 && html`<p class="small">Barriers: ${l.barriers.join(', ')}</p>`}
            <p class="small muted">${date(l.recordedAt)}; readable by ${l.visibility === 'PUBLIC' ? 'everyone' : l.visibility === 'MEMBERS' ? 'every member' : 'the project and its partners'}</p>
          </li>`)}
      </ul>
      <${More} connection=${lessons} what="lessons" />
    </section>`;
}
