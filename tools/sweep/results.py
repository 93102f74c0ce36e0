"""A sweep's results: one row per job, from its report and UART output; the front and the best.

Metrics (columns of results.csv, keys of results.json):
    status, reason                   done, or failed and why
    sim_time_s, instructions, cycles the whole run
    energy_j                         the whole run
    inferences                       how many [metrics] region closed (1 when no region is named)
    latency_s                        the region's time per closing (the whole run without a region;
                                     empty for a job that closed no such region)
    energy_per_inference_j           the region's energy per closing (the whole run without one)
    accuracy                         from the UART output by the [metrics] accuracy regex (its
                                     last match; empty when nothing matches)
    tops_per_w                       ops_per_inference / energy_per_inference (end to end)
    energy.COMPONENT_j               per inference (or run), by component (soc.cpu, soc.cim0, ...)
    domain.DOMAIN_j                  per inference (or run), by power domain
    util.ACCEL                       the accelerator's busy time / the run's simulated time
    host_s                           host seconds of the job (the only host-time field)
Columns are those of the axes first (and meta.NAME), then the metrics above, in a stable order.
"""

import csv
import io
import json
import math
import os
import re

from jobs import job_dir, read_json, status

HOST_TIME_FIELDS = ('host_s',)
# Options of the run, not of the SoC: not part of a configuration file.
RUN_KEYS = {'firmware', 'firmware-dir', 'max-time', 'quantum', 'report', 'uart-out', 'vcd', 'trace-insn',
            'power-vcd', 'power-csv', 'power-plot', 'power-interval', 'accel-log', 'rtl-vcd', 'emram-image',
            'coverify', 'coverify.tolerance', 'coverify.slack', 'quiet', 'progress', 'config', 'scenario'}


def _region_totals(report, name):
    for t in report.get('region_totals', []):
        if t['name'] == name:
            return t
    return None


def metrics(report, uart, spec_metrics, meta=None):
    """Figures of one finished job. A job's meta.ops_per_inference (an axis) overrides the
    specification's, for sweeps over networks of different sizes."""
    m = {'sim_time_s': report['simulated_time_s'], 'instructions': report['instructions'],
         'cycles': report['cycles'], 'energy_j': report['power']['total_energy_j']}
    comp_domain = {c['name']: c['domain'] for c in report['power']['components']}
    region = spec_metrics.get('region')
    by_comp = {}
    if region:
        t = _region_totals(report, region)
        n = t['count'] if t else 0
        m['inferences'] = n
        # A job that closed no such region (a peak run beside networks) has no per-inference figures.
        m['latency_s'] = t['time_s'] / n if n else None
        m['energy_per_inference_j'] = t['energy_j'] / n if n else None
        for s in t['sources'] if n else []:
            by_comp[s['component']] = by_comp.get(s['component'], 0.0) + s['energy_j'] / n
    else:
        m['inferences'] = 1
        m['latency_s'] = report['simulated_time_s']
        m['energy_per_inference_j'] = m['energy_j']
        for c in report['power']['components']:
            by_comp[c['name']] = c['energy_j']
    rx = spec_metrics.get('accuracy')
    if rx:
        found = re.findall(rx, uart)
        # A job that prints no accuracy (a peak-efficiency run beside networks) has none: a
        # constraint on accuracy then excludes it.
        correct, total = (int(x) for x in found[-1]) if found else (0, 0)
        m['accuracy'] = correct / total if total else None
    ops = (meta or {}).get('ops_per_inference') or spec_metrics.get('ops_per_inference')
    if ops:
        e = m['energy_per_inference_j']
        m['tops_per_w'] = ops / e / 1e12 if e else None
    by_dom = {}
    for name, e in sorted(by_comp.items()):
        m[f"energy.{name}_j"] = e
        dom = comp_domain.get(name, '?')
        by_dom[dom] = by_dom.get(dom, 0.0) + e
    for dom, e in sorted(by_dom.items()):
        m[f"domain.{dom}_j"] = e
    sim = report['simulated_time_s']
    for a in report.get('accelerators', []):
        m[f"util.{a['name']}"] = a['busy_time_s'] / sim if sim > 0 else 0.0
    return m


def collect(sweep_dir, spec, jobs):
    """Rows of every job, done or failed (jobs that have not run are left out: pending)."""
    rows, pending = [], 0
    for j in jobs:
        st = status(sweep_dir, j['id'])
        if st is None:
            pending += 1
            continue
        row = {'id': j['id'], 'repetition': j['repetition']}
        for k, v in j['point'].items():
            row[k] = v
        row['status'] = st['state']
        row['reason'] = st.get('reason', '')
        row['host_s'] = st.get('host_s')
        if st['state'] == 'done':
            d = job_dir(sweep_dir, j['id'])
            try:
                report = read_json(os.path.join(d, 'report.json'))
                with open(os.path.join(d, 'uart.txt'), errors='replace') as f:
                    uart = f.read()
                row.update(metrics(report, uart, spec['metrics'], j.get('meta')))
            except (OSError, ValueError, KeyError) as e:
                row['status'] = 'failed'
                row['reason'] = f"results: {e}"
        rows.append(row)
    return rows, pending


def columns(rows, spec):
    axis_cols = [a['key'] for a in spec['axes']]
    first = ['id'] + axis_cols + ['repetition', 'status', 'reason']
    fixed = ['sim_time_s', 'instructions', 'cycles', 'energy_j', 'inferences', 'latency_s',
             'energy_per_inference_j', 'accuracy', 'tops_per_w']
    rest = sorted({k for r in rows for k in r} - set(first) - set(fixed) - set(HOST_TIME_FIELDS))
    return first + [c for c in fixed if any(c in r for r in rows)] + rest + list(HOST_TIME_FIELDS)


def _cell(v):
    if v is None:
        return ''
    if isinstance(v, float):
        return repr(v)
    return str(v)


def csv_text(rows, cols):
    out = io.StringIO()
    w = csv.writer(out, lineterminator='\n')
    w.writerow(cols)
    for r in rows:
        w.writerow([_cell(r.get(c)) for c in cols])
    return out.getvalue()


def points(rows, spec):
    """The done jobs by point: with repetitions, one row per point whose metrics are the means over
    its repetitions (the front, the constraints and the best are judged on them: one lucky seed
    does not make a configuration); without, the done rows themselves."""
    done = [r for r in rows if r['status'] == 'done']
    if spec['repetitions'] == 1:
        return done
    keys = [a['key'] for a in spec['axes']]
    groups = {}
    for r in done:
        groups.setdefault(tuple(json.dumps(r.get(k)) for k in keys), []).append(r)
    out = []
    for reps in groups.values():
        p = {'id': reps[0]['id'], 'repetitions': len(reps), 'status': 'done'}
        for k in keys:
            p[k] = reps[0].get(k)
        for k in reps[0]:
            vals = [r.get(k) for r in reps]
            if k in p or k in ('repetition', 'reason') or k in HOST_TIME_FIELDS:
                continue
            if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in vals):
                p[k] = sum(vals) / len(vals)
        out.append(p)
    return out


def satisfies(row, constraints):
    for c in constraints:
        v = row.get(c['metric'])
        if not isinstance(v, (int, float)) or isinstance(v, bool) or not math.isfinite(v):
            return False
        if c['min'] is not None and v < c['min']:
            return False
        if c['max'] is not None and v > c['max']:
            return False
    return True


def best(rows, spec):
    """The point (a done row, or the means of a point's repetitions) that is best under the
    constraints, or None."""
    sel = spec['select']
    metric = sel['minimise'] or sel['maximise']
    if not metric:
        return None
    ok = [r for r in points(rows, spec) if satisfies(r, spec['constraints'])
          and isinstance(r.get(metric), (int, float))]
    if not ok:
        return None
    sign = 1 if sel['minimise'] else -1
    return min(ok, key=lambda r: (sign * r[metric], r['id']))


def config_text(report, row, spec):
    """A ready .cfg: every key of the job's configuration that is not a default."""
    lines = [f"# The best configuration of sweep '{spec['name']}' (job {row['id']}) under its constraints:",
             *[f"#   {c['metric']}" + (f" >= {c['min']}" if c['min'] is not None else '')
               + (f" <= {c['max']}" if c['max'] is not None else '') for c in spec['constraints']],
             f"# minimising {spec['select']['minimise']}" if spec['select']['minimise']
             else f"# maximising {spec['select']['maximise']}",
             "# Written by tools/sweep from the job's report: run it with edgevp --config FILE FIRMWARE."]
    if row.get('repetitions', 1) > 1:
        lines.insert(-1, f"# Judged on the means over its {row['repetitions']} repetitions; the seed below is the first's.")
    for key, e in report['configuration'].items():
        if e.get('origin') == 'default' or key.startswith('scenario.') or key.startswith('expect.') \
                or key in RUN_KEYS:
            continue
        v = e['value']
        if isinstance(v, list):
            for item in v:
                lines.append(f"{key} = {item}")
        else:
            lines.append(f"{key} = {v}")
    return '\n'.join(lines) + '\n'


def _short(v):
    if isinstance(v, float):
        return f"{v:.4g}"
    return os.path.basename(str(v)) if v is not None else '-'


def table_text(rows, spec, front, best_id, limit=24):
    """The points as a text table (the front and the best marked); the front alone past `limit`."""
    done = points(rows, spec)
    shown = done if len(done) <= limit else [r for r in done if r['id'] in front]
    axes = [a['key'] for a in spec['axes'] if not a['key'].startswith('meta.')]
    label = [k for k in ('meta.label',) if any(k in r for r in done)]
    cols = label + axes + (['repetitions'] if spec['repetitions'] > 1 else [])
    figs = [('accuracy', 'accuracy', lambda v: f"{100 * v:.1f}%"),
            ('latency_s', 'latency', lambda v: f"{v * 1e3:.3f}ms"),
            ('energy_per_inference_j', 'energy/inf', lambda v: f"{v * 1e6:.4f}uJ"),
            ('tops_per_w', 'TOPS/W', lambda v: f"{v:.4f}")]
    figs = [f for f in figs if any(r.get(f[0]) is not None for r in shown)]
    head = [c.replace('meta.', '') for c in cols] + [f[1] for f in figs] + ['']
    body = []
    for r in shown:
        mark = ('front' if r['id'] in front else '') + (' best' if r['id'] == best_id else '')
        body.append([_short(r.get(c)) for c in cols] +
                    [f[2](r[f[0]]) if r.get(f[0]) is not None else '-' for f in figs] + [mark.strip()])
    widths = [max(len(x[i]) for x in [head] + body) for i in range(len(head))]
    lines = ['  '.join(x[i].rjust(widths[i]) if i >= len(cols) else x[i].ljust(widths[i])
                       for i in range(len(head))).rstrip() for x in [head] + body]
    if len(shown) < len(done):
        lines.append(f"({len(done) - len(shown)} points off the front not shown: results.csv has them all)")
    if spec['repetitions'] > 1:
        lines.append("(means over each point's repetitions; results.csv has every job)")
    return '\n'.join(lines)
