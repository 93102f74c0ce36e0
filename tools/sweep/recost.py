"""Re-costing finished jobs with other power parameters, without re-simulating them.

A report keeps, for every power source, its events and a basis: the energy the source would have
charged with a value of 1, with each segment's voltage and frequency scaling (for the whole run,
and per region name in region_totals). edgevp --gen-power-table gives every source's value as the
models derive it from a configuration (a memory's access energy from its per-bit key, an ADC's
from its bits and capacitances). So for each job:

    new energy of a source = new value x basis        (a source whose value changed)
                           = its energy as it was     (a source whose value did not)

Only keys that name power parameters (NAME.power.*) may change: anything else changes what the
run does, and only a rerun can say what that costs. A source given as a table over voltage has no
basis; changing one is refused with its name. What cannot be re-costed from totals (each region's
own energy, each domain's energy by state) is set to null in the re-costed report, never left stale.
"""

import json
import os
import shutil
import subprocess
import tempfile

from jobs import job_dir, read_json, status, write_json_atomic


class RecostError(Exception):
    """A re-costing that cannot be done exactly; the message says which key or source."""


def check_keys(settings):
    for k in settings:
        if '.power.' not in k:
            raise RecostError(f"'{k}' is not a power parameter (NAME.power.*): it changes what the run does, "
                              "so only a rerun can cost it")


def power_table(edgevp, report_path, settings, config_files, cache):
    """{(component, source): (value or None, table or None)} of the report's configuration with
    `settings` and `config_files` on top."""
    report = read_json(report_path)
    key = json.dumps([report['configuration'], sorted(settings.items()), config_files], sort_keys=True)
    if key in cache:
        return cache[key]
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, 'power.json')
        cmd = [edgevp, '--config-from-report', report_path]
        for c in config_files:
            cmd += ['--config', c]
        cmd += [f"--{k}={v}" for k, v in sorted(settings.items())] + ['--gen-power-table', out]
        p = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if p.returncode != 0:
            raise RecostError(f"edgevp --gen-power-table failed (exit {p.returncode}): {p.stderr.strip()}")
        table = read_json(out)
    values = {(c['name'], s['name']): (s['value'], s['table']) for c in table['components'] for s in c['sources']}
    cache[key] = values
    return values


def _new_energy(old_e, basis, old, new, where):
    if old == new:
        return old_e
    (_, ot), (nv, nt) = old, new
    if ot is not None or nt is not None:
        raise RecostError(f"{where}: a table over voltage ({ot or nt}) has no single factor to re-cost by; rerun")
    if basis is None:
        raise RecostError(f"{where}: the report has no basis for it; rerun")
    return nv * basis


def recost_report(report, old_vals, new_vals, settings):
    """The report with its energies re-costed (a new dict)."""
    r = json.loads(json.dumps(report))
    pw = r['power']
    comp_e, kind_e = {}, {}
    for c in pw['components']:
        total = 0.0
        for s in c['sources']:
            k = (c['name'], s['name'])
            if k not in new_vals:
                raise RecostError(f"{c['name']}.{s['name']}: not in the new configuration's power table")
            s['energy_j'] = _new_energy(s['energy_j'], s.get('basis'), old_vals[k], new_vals[k],
                                        f"{c['name']}.power.{s['name']}")
            if old_vals[k] != new_vals[k]:
                s['value'] = f"{new_vals[k][0]:.6g}{'J' if s['kind'] == 'event' else 'W'}"
            total += s['energy_j']
            kind_e[s['kind']] = kind_e.get(s['kind'], 0.0) + s['energy_j']
        c['energy_j'] = total
        comp_e[c['name']] = (total, c['domain'])
    pw['total_energy_j'] = sum(e for e, _ in comp_e.values())
    sim = r['simulated_time_s']
    pw['average_power_w'] = pw['total_energy_j'] / sim if sim > 0 else 0.0
    pw['energy_by_kind_j'] = {k: kind_e.get(k, 0.0) for k in pw['energy_by_kind_j']}
    for d in pw['domains']:
        d['energy_j'] = sum(e for e, dom in comp_e.values() if dom == d['name'])
        d['energy_by_state_j'] = None
    for t in r.get('region_totals', []):
        delta = 0.0
        for s in t['sources']:
            k = (s['component'], s['source'])
            new = _new_energy(s['energy_j'], s.get('basis'), old_vals[k], new_vals[k],
                              f"{s['component']}.power.{s['source']} in region '{t['name']}'")
            delta += new - s['energy_j']
            s['energy_j'] = new
        t['energy_j'] += delta
    for g in r.get('regions', []):
        for f in ('energy_j', 'average_power_w', 'energy_by_component_j'):
            g[f] = None
    for a in r.get('accelerators', []):
        e = comp_e.get('soc.' + a['name'], (a['energy_j'], None))[0]
        a['energy_j'] = e
        a['ops_per_joule'] = a['operations'] / e if e > 0 else 0.0
    for k, v in settings.items():
        r['configuration'][k] = {'value': str(v), 'origin': 'recost'}
    r['recost'] = {'settings': {k: str(v) for k, v in sorted(settings.items())},
                   'nulled': ['regions[].energy_j', 'regions[].average_power_w', 'regions[].energy_by_component_j',
                              'power.domains[].energy_by_state_j']}
    return r


def recost_sweep(sweep_dir, out_dir, jobs, edgevp, settings, config_files):
    """Writes every done job of sweep_dir, re-costed, into out_dir (failed ones are copied as they are).
    Returns (recosted, copied_failed, not_run)."""
    check_keys(settings)
    for c in config_files:
        with open(c) as f:
            for n, line in enumerate(f, 1):
                line = line.split('#', 1)[0].strip()
                if line and '.power.' not in line.split('=', 1)[0]:
                    raise RecostError(f"{c}:{n}: '{line.split('=', 1)[0].strip()}' is not a power parameter "
                                      "(NAME.power.*); only a rerun can cost it")
    if os.path.abspath(out_dir) == os.path.abspath(sweep_dir):
        raise RecostError('--out must differ from the sweep directory: the original results are kept')
    cache = {}
    done = failed = missing = 0
    os.makedirs(os.path.join(out_dir, 'jobs'), exist_ok=True)
    for j in jobs:
        st = status(sweep_dir, j['id'])
        if st is None:
            missing += 1
            continue
        src, dst = job_dir(sweep_dir, j['id']), job_dir(out_dir, j['id'])
        os.makedirs(dst, exist_ok=True)
        for name in ('job.json', 'uart.txt', 'stderr.txt'):
            if os.path.exists(os.path.join(src, name)):
                shutil.copyfile(os.path.join(src, name), os.path.join(dst, name))
        if st['state'] == 'done':
            rp = os.path.join(src, 'report.json')
            old_vals = power_table(edgevp, rp, {}, [], cache)
            new_vals = power_table(edgevp, rp, settings, config_files, cache)
            write_json_atomic(os.path.join(dst, 'report.json'), recost_report(read_json(rp), old_vals, new_vals,
                                                                              settings))
            done += 1
        else:
            failed += 1
        write_json_atomic(os.path.join(dst, 'status.json'), st)
    write_json_atomic(os.path.join(out_dir, 'jobs.json'), [j['id'] for j in jobs])
    return done, failed, missing
