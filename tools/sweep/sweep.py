#!/usr/bin/python3
"""sweep: design-space exploration with edgevp, on local processes or a Slurm cluster.

    sweep.py run SPEC [-j N] [--backend local|slurm] [--wait]   run what is not done yet
    sweep.py results SPEC                                        results.csv / .json, front, best.cfg
    sweep.py status SPEC                                         done / failed / pending
    sweep.py recost SPEC --out DIR (--set KEY=VALUE ... | --power FILE.cfg)
    sweep.py plot SPEC [-x METRIC -y METRIC] -o FILE.png [-o FILE.svg]
    sweep.py fig7 SPEC -o FILE.png                               edgevp beside the seed's chips

SPEC is a TOML file (tools/sweep/spec.py documents it; examples in tools/sweep/examples/). Each job
is one edgevp process writing its report into SWEEP/jobs/ID (SWEEP: --dir, default
build/sweeps/NAME); ids come from the job's content, so a rerun skips what is done and a changed
axis runs only its new points. A failed job (non-zero exit, host time limit) is recorded with its
reason and the sweep goes on. Exit codes: 0 ok (failed jobs are results, not errors), 2 bad
specification or usage, 3 Slurm or edgevp unusable, 1 other errors.
"""

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import backends  # noqa: E402
import jobs as jobsmod  # noqa: E402
import results  # noqa: E402
import spec as specmod  # noqa: E402

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..'))


def default_edgevp():
    return os.environ.get('EDGEVP', os.path.join(ROOT, 'build', 'ci', 'edgevp'))


def load(args):
    sp = specmod.load(args.spec)
    fw_dir = args.firmware_dir or sp['firmware_dir'] or os.path.join(os.path.dirname(args.edgevp), 'firmware', 'bin')
    jobs = specmod.expand(sp, os.path.abspath(fw_dir))
    d = os.path.abspath(args.dir or os.path.join('build', 'sweeps', sp['name']))
    return sp, jobs, d


def pending(d, jobs, retry_failed):
    out = []
    for j in jobs:
        st = jobsmod.status(d, j['id'])
        if st is None or (retry_failed and st['state'] == 'failed'):
            out.append(j['id'])
    return out


def write_results(sp, jobs, d, quiet=False):
    rows, n_pending = results.collect(d, sp, jobs)
    cols = results.columns(rows, sp)
    with open(os.path.join(d, 'results.csv.tmp'), 'w') as f:
        f.write(results.csv_text(rows, cols))
    os.replace(os.path.join(d, 'results.csv.tmp'), os.path.join(d, 'results.csv'))
    import plots
    x, y = sp['select']['pareto']
    done = [r for r in rows if r['status'] == 'done']
    pts = results.points(rows, sp)
    front = [pts[i]['id'] for i in plots.pareto_front(pts, x, y)]
    best = results.best(rows, sp)
    summary = {'sweep': sp['name'], 'spec': sp['path'], 'jobs': len(jobs), 'done': len(done),
               'failed': sum(r['status'] == 'failed' for r in rows), 'pending': n_pending,
               'columns': cols, 'rows': rows, 'pareto': {'x': x, 'y': y, 'front': front},
               'constraints': sp['constraints'], 'best': best['id'] if best else None,
               'failed_jobs': [{'id': r['id'], 'reason': r['reason']} for r in rows if r['status'] == 'failed'],
               'points': pts if sp['repetitions'] > 1 else None}
    jobsmod.write_json_atomic(os.path.join(d, 'results.json'), summary)
    best_cfg = os.path.join(d, 'best.cfg')
    if best:
        report = jobsmod.read_json(os.path.join(jobsmod.job_dir(d, best['id']), 'report.json'))
        with open(best_cfg, 'w') as f:
            f.write(results.config_text(report, best, sp))
    elif os.path.exists(best_cfg):
        os.remove(best_cfg)
    if not quiet:
        print(f"sweep {sp['name']}: {len(jobs)} jobs, {summary['done']} done, {summary['failed']} failed, "
              f"{n_pending} pending; results in {os.path.relpath(d)}/results.csv")
        for fj in summary['failed_jobs'][:10]:
            print(f"  failed {fj['id']}: {fj['reason']}")
        region = sp['metrics'].get('region')
        missing = sum(1 for r in done if region and not r.get('inferences'))
        if missing:
            print(f"  {missing} done job(s) closed no region '{region}': no per-inference figures")
        if done:
            print(results.table_text(rows, sp, front, best['id'] if best else None))
        print(f"  Pareto front ({x}, {y}): {len(front)} job(s)")
        if best:
            metric = sp['select']['minimise'] or sp['select']['maximise']
            print(f"  best under the constraints: {best['id']} ({metric} = {best[metric]:.6g}) -> "
                  f"{os.path.relpath(best_cfg)}")
        elif sp['select']['minimise'] or sp['select']['maximise']:
            print("  no job meets the constraints")
    return summary


def cmd_run(args):
    sp, jobs, d = load(args)
    if not os.access(args.edgevp, os.X_OK):
        print(f"sweep: edgevp not found or not executable: {args.edgevp} (build it, or give --edgevp)",
              file=sys.stderr)
        return 3
    jobsmod.prepare(d, jobs)
    todo = pending(d, jobs, args.retry_failed)
    print(f"sweep {sp['name']}: {len(jobs)} jobs, {len(jobs) - len(todo)} already run, {len(todo)} to run "
          f"({args.backend})", file=sys.stderr)
    if args.backend == 'local':
        if todo:
            backends.run_local(d, todo, args.edgevp, args.jobs)
        write_results(sp, jobs, d)
        return 0
    if not todo:
        write_results(sp, jobs, d)
        return 0
    opts = {'chunk': args.chunk, 'partition': args.partition, 'account': args.account, 'time': args.time,
            'max_running': args.max_running, 'job_name': f"sweep-{sp['name']}"}
    try:
        array_id, agg_id = backends.submit_slurm(d, sp['path'], todo, args.edgevp, opts)
        print(f"sweep: submitted array {array_id} and aggregation {agg_id}; scripts in "
              f"{os.path.relpath(d)}/slurm/", file=sys.stderr)
        if args.wait:
            backends.wait_slurm([array_id, agg_id], timeout_s=args.wait_timeout)
            write_results(sp, jobs, d)
    except RuntimeError as e:
        print(f"sweep: {e}", file=sys.stderr)
        return 3
    return 0


def cmd_worker(args):
    """One Slurm array task: the jobs of its chunk."""
    path = os.path.join(args.dir, 'slurm', f"chunk-{args.chunk}.txt")
    try:
        with open(path) as f:
            ids = [ln.strip() for ln in f if ln.strip()]
    except OSError as e:
        print(f"sweep worker: cannot read {path}: {e.strerror}", file=sys.stderr)
        return 1
    for jid in ids:
        st = jobsmod.run_job(args.dir, jid, args.edgevp)
        print(f"{jid} {st['state']} {st.get('reason', '')}", flush=True)
    return 0


def cmd_results(args):
    sp, jobs, d = load(args)
    summary = write_results(sp, jobs, d, quiet=args.table)
    if args.table:  # the table alone: no paths, no ids (for documentation)
        print(results.table_text(summary['rows'], sp, summary['pareto']['front'], summary['best']))
    return 0


def cmd_status(args):
    sp, jobs, d = load(args)
    states = [jobsmod.status(d, j['id']) for j in jobs]
    done = sum(1 for s in states if s and s['state'] == 'done')
    failed = sum(1 for s in states if s and s['state'] == 'failed')
    print(f"sweep {sp['name']}: {len(jobs)} jobs, {done} done, {failed} failed, {len(jobs) - done - failed} pending")
    return 0


def parse_set(items):
    out = {}
    for it in items or []:
        if '=' not in it:
            raise specmod.SpecError(f"--set '{it}': expected KEY=VALUE")
        k, v = it.split('=', 1)
        out[k.strip()] = v.strip()
    return out


def cmd_recost(args):
    import recost
    sp, jobs, d = load(args)
    settings = parse_set(args.set)
    if not settings and not args.power:
        raise specmod.SpecError('recost: give --set KEY=VALUE or --power FILE.cfg')
    try:
        n, failed, missing = recost.recost_sweep(d, os.path.abspath(args.out), jobs, args.edgevp, settings,
                                                 [os.path.abspath(p) for p in args.power or []])
    except recost.RecostError as e:
        print(f"sweep recost: {e}", file=sys.stderr)
        return 2
    print(f"sweep recost: {n} jobs re-costed, {failed} failed ones copied, {missing} not run", file=sys.stderr)
    write_results(sp, jobs, os.path.abspath(args.out))
    return 0


def _rows(d):
    try:
        return jobsmod.read_json(os.path.join(d, 'results.json'))
    except (OSError, ValueError):
        raise specmod.SpecError(f"{d}/results.json: no results yet (run the sweep first)") from None


def cmd_plot(args):
    import plots
    sp, _, d = load(args)
    summary = _rows(d)
    x = args.x or sp['select']['pareto'][0]
    y = args.y or sp['select']['pareto'][1]
    done = [r for r in summary['rows'] if r['status'] == 'done']
    for r in done:
        r.setdefault('label', r['id'][:8])
    label_key = 'label'
    if sp['axes']:
        for r in done:
            r['label'] = ','.join(f"{os.path.basename(str(r.get(a['key'])))}" for a in sp['axes'])
    plots.plot_pareto(done, x, y, args.out, title=f"sweep {sp['name']}: Pareto front", label_key=label_key)
    print(f"sweep: wrote {', '.join(args.out)}")
    return 0


def peak_of(d, rows, region):
    """TOPS/W of the accelerator named by `region` (e.g. cim0.peak_i8w8: component soc.cim0) within
    that region, from the first done job whose report has it (a cim_peak run in the sweep)."""
    comp = 'soc.' + region.split('.')[0]
    for r in rows:
        if r['status'] != 'done':
            continue
        rep = jobsmod.read_json(os.path.join(jobsmod.job_dir(d, r['id']), 'report.json'))
        for g in rep['regions']:
            e = (g.get('energy_by_component_j') or {}).get(comp)
            if g['name'] == region and e:
                return g['operations'].get(comp, 0) / e / 1e12
    raise specmod.SpecError(f"no job of the sweep has region '{region}' with energy in {comp} "
                            "(add the peak firmware, e.g. cim_peak, to the sweep)")


def cmd_fig7(args):
    """Rows with meta.bits and meta.label are drawn: end to end from tops_per_w, peak from the
    region meta.peak_region names (the accelerator's own ops / energy there)."""
    import plots
    sp, _, d = load(args)
    rows = _rows(d)['rows']
    pts = []
    for r in rows:
        bits = r.get('meta.bits')
        if r['status'] != 'done' or not bits:
            continue
        region = r.get('meta.peak_region')
        pts.append({'label': str(r.get('meta.label', r['id'][:8])), 'bits': float(bits),
                    'tops_per_w_peak': peak_of(d, rows, region) if region else None,
                    'tops_per_w_e2e': r.get('tops_per_w')})
    if not pts:
        raise specmod.SpecError(f"{sp['path']}: fig7 needs done jobs with axes meta.bits and meta.label "
                                "(and meta.peak_region for their peak)")
    ref = plots.load_reference(os.path.join(os.path.dirname(os.path.abspath(__file__)), 'reference_chips.csv'))
    plots.plot_fig7(ref, pts, args.out)
    for p in sorted(pts, key=lambda p: p['label']):
        peak = f"{p['tops_per_w_peak']:.3g}" if p['tops_per_w_peak'] else '-'
        e2e = f"{p['tops_per_w_e2e']:.3g}" if p['tops_per_w_e2e'] else '-'
        print(f"  {p['label']:28s} {p['bits']:4g} bits: peak {peak:>7s} TOPS/W, end to end {e2e:>7s} TOPS/W")
    print(f"sweep: wrote {', '.join(args.out)}")
    return 0


def parser():
    p = argparse.ArgumentParser(prog='sweep.py', description=__doc__.split('\n\n')[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter,
                                epilog=__doc__.split('\n\n', 1)[1])
    sub = p.add_subparsers(dest='command', required=True)

    def common(sp, spec=True):
        if spec:
            sp.add_argument('spec', help='the sweep specification (TOML)')
        sp.add_argument('--dir', help='the sweep directory (default build/sweeps/NAME)')
        sp.add_argument('--edgevp', default=default_edgevp(), help='the edgevp binary (default $EDGEVP or '
                        'build/ci/edgevp)')
        sp.add_argument('--firmware-dir', help='where firmware names are looked up (default: the binary\'s '
                        'firmware/bin, or the specification\'s firmware_dir)')

    r = sub.add_parser('run', help='run the jobs not done yet, then write the results')
    common(r)
    r.add_argument('-j', '--jobs', type=int, default=os.cpu_count() or 1, help='local processes (default: cores)')
    r.add_argument('--backend', choices=('local', 'slurm'), default='local')
    r.add_argument('--retry-failed', action='store_true', help='run failed jobs again')
    r.add_argument('--chunk', type=int, default=4, help='slurm: jobs per array task (default 4)')
    r.add_argument('--partition', help='slurm: partition')
    r.add_argument('--account', help='slurm: account')
    r.add_argument('--time', default='01:00:00', help='slurm: time limit per array task (default 01:00:00)')
    r.add_argument('--max-running', type=int, help='slurm: at most this many array tasks at once')
    r.add_argument('--wait', action='store_true', help='slurm: wait for the array and the aggregation')
    r.add_argument('--wait-timeout', type=float, default=None, help='slurm: give up waiting after this many s')
    r.set_defaults(fn=cmd_run)
    w = sub.add_parser('worker', help='(internal) run one Slurm array task\'s chunk')
    w.add_argument('dir')
    w.add_argument('--edgevp', required=True)
    w.add_argument('--chunk', type=int, required=True)
    w.set_defaults(fn=cmd_worker)
    s = sub.add_parser('results', help='write results.csv, results.json, best.cfg and print the table')
    common(s)
    s.add_argument('--table', action='store_true', help='print the table alone (no paths or job ids)')
    s.set_defaults(fn=cmd_results)
    s = sub.add_parser('status', help='count done, failed and pending jobs')
    common(s)
    s.set_defaults(fn=cmd_status)
    rc = sub.add_parser('recost', help='re-cost finished jobs with other power parameters (no re-simulation)')
    common(rc)
    rc.add_argument('--out', required=True, help='the re-costed sweep directory')
    rc.add_argument('--set', action='append', metavar='KEY=VALUE', help='a power parameter (NAME.power.*)')
    rc.add_argument('--power', action='append', metavar='FILE.cfg', help='a .cfg of power parameters')
    rc.set_defaults(fn=cmd_recost)
    pl = sub.add_parser('plot', help='the Pareto front of two metrics (log-log)')
    common(pl)
    pl.add_argument('-x', help='metric on x (default: the specification\'s pareto)')
    pl.add_argument('-y', help='metric on y')
    pl.add_argument('-o', '--out', action='append', required=True, help='FILE.png or FILE.svg (repeatable)')
    pl.set_defaults(fn=cmd_plot)
    f7 = sub.add_parser('fig7', help='TOPS/W against precision, edgevp beside the seed\'s chips')
    common(f7)
    f7.add_argument('-o', '--out', action='append', required=True, help='FILE.png or FILE.svg (repeatable)')
    f7.set_defaults(fn=cmd_fig7)
    return p


def main(argv):
    args = parser().parse_args(argv)
    try:
        return args.fn(args)
    except specmod.SpecError as e:
        print(f"sweep: {e}", file=sys.stderr)
        return 2
    except ValueError as e:
        print(f"sweep: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print('sweep: interrupted; jobs without status.json run again next time', file=sys.stderr)
        return 130


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
