#!/usr/bin/python3
"""Checks tools/plot/edgevp_plot.py (tests/plot/CMakeLists.txt runs it).

  check_plot.py duty_cycle PLOT WORKDIR EDGEVP DUTY_CYCLE_ELF
      runs duty_cycle with a report and a power CSV, draws them as PNG and SVG, and checks the
      files: PNG signature, SVG parses and names the axes, a domain and the report's regions, the
      same SVG whether written alone or beside the PNG.
  check_plot.py bad_input PLOT WORKDIR
      malformed or missing inputs give exit code 2 and a message naming the problem, no
      traceback; no matplotlib gives exit code 3.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

PNG_SIGNATURE = b'\x89PNG\r\n\x1a\n'
SVG_NS = '{http://www.w3.org/2000/svg}'

failures = []


def check(condition, what):
    print(('ok   ' if condition else 'FAIL ') + what)
    if not condition:
        failures.append(what)


def run(command):
    """Run a command, echoing it and its stderr, and return (exit code, stderr)."""
    print('$ ' + ' '.join(command))
    result = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if result.stderr:
        print(result.stderr, end='')
    return result.returncode, result.stderr


def fresh_dir(path):
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path)


def svg_texts(path):
    """Every <text> element's text: the tool writes SVG text as text (svg.fonttype none)."""
    root = ET.parse(path).getroot()
    return [''.join(t.itertext()).strip() for t in root.iter(SVG_NS + 'text')]


def check_duty_cycle(plot, work, edgevp, elf):
    fresh_dir(work)
    report, trace = os.path.join(work, 'run.json'), os.path.join(work, 'power.csv')
    rc, _ = run([edgevp, '--quiet', '--report', report, '--power-csv', trace,
                 '--power-interval', '100us', elf])
    check(rc == 0, f'edgevp exits 0 (got {rc})')

    stem = os.path.join(work, 'duty_cycle')
    rc, err = run([plot, '--report', report, '--power-csv', trace, '-o', stem + '.png',
                   '--format', 'png,svg'])
    check(rc == 0, f'edgevp_plot exits 0 (got {rc})')
    check('Traceback' not in err, 'no traceback')
    for ext in ('png', 'svg'):
        path = f'{stem}.{ext}'
        check(os.path.isfile(path) and os.path.getsize(path) > 0, f'{path} written, not empty')
    if failures:
        return

    with open(stem + '.png', 'rb') as f:
        check(f.read(len(PNG_SIGNATURE)) == PNG_SIGNATURE, 'PNG starts with the PNG signature')
    try:
        texts = svg_texts(stem + '.svg')
    except ET.ParseError as e:
        check(False, f'SVG parses as XML ({e})')
        return
    check('power (W)' in texts, "SVG has the y axis label 'power (W)'")
    check(any(t.startswith('time (') for t in texts), "SVG has an x axis label 'time (...)'")
    check(texts.count('cpu') >= 2, "SVG names the domain 'cpu' in the power legend and the states")
    check(any(t.startswith('duty_cycle.elf:') for t in texts), 'SVG title names the firmware')
    # duty_cycle marks each wake-up as a region 'active'; every region name of the report must be
    # on the picture (on the time axis and in the region bars).
    with open(report) as f:
        names = {r['name'] for r in json.load(f)['regions']}
    check('active' in names, "the report has duty_cycle's region 'active'")
    for name in sorted(names):
        check(name in texts, f"SVG marks the region '{name}'")
        check(any(t.startswith(name + ' (x') for t in texts),
              f"SVG has the bar of region '{name}' with its count")

    # Same input, same bytes: the SVG written alone equals the one written beside the PNG.
    rc, _ = run([plot, '--report', report, '--power-csv', trace, '-o', stem + '_alone.svg'])
    with open(stem + '.svg', 'rb') as a, open(stem + '_alone.svg', 'rb') as b:
        check(rc == 0 and a.read() == b.read(), 'the SVG is the same written alone')


# A report and a CSV with everything the tool reads, so that each bad case breaks one thing.
GOOD_REPORT = {
    'firmware': 'tiny.elf', 'simulated_time_s': 0.0003,
    'power': {'total_energy_j': 3e-9, 'average_power_w': 1e-5,
              'components': [{'name': 'soc.cpu', 'energy_j': 2e-9},
                             {'name': 'soc.aon', 'energy_j': 1e-9}]},
    'regions': [{'name': 'work', 'depth': 0, 'start_s': 0.0001, 'end_s': 0.0002,
                 'energy_j': 1e-9}],
}
GOOD_CSV = ('time_s,cpu_W,total_W,cpu_state\n'
            '0,1e-05,1e-05,on\n0.0001,2e-05,2e-05,on\n0.0002,0,0,off\n')


def check_bad_input(plot, work):
    fresh_dir(work)

    def write(name, text):
        path = os.path.join(work, name)
        with open(path, 'w') as f:
            f.write(text)
        return path

    good_report = write('good.json', json.dumps(GOOD_REPORT))
    good_csv = write('good.csv', GOOD_CSV)
    no_total = dict(GOOD_REPORT, power={k: v for k, v in GOOD_REPORT['power'].items()
                                        if k != 'total_energy_j'})
    cases = [
        ('a valid report and CSV', [good_report, good_csv], 0, None),
        ('a report that is not JSON', [write('truncated.json', '{"firmware": "x"'), None], 2,
         "report '.*truncated.json' is not JSON"),
        ('a report without power.total_energy_j', [write('no_total.json', json.dumps(no_total)),
                                                   None], 2, "missing 'power.total_energy_j'"),
        ('a missing report', [os.path.join(work, 'none.json'), None], 2,
         "cannot read report '.*none.json': No such file or directory"),
        ('a missing CSV', [good_report, os.path.join(work, 'none.csv')], 2,
         "cannot read power CSV '.*none.csv': No such file or directory"),
        ('a CSV without time_s', [good_report, write('no_time.csv', 'cpu_W\n1e-05\n')], 2,
         'has no time_s column'),
        ('a CSV without rows', [good_report, write('no_rows.csv', GOOD_CSV.split('\n')[0] + '\n')],
         2, 'has no rows'),
    ]
    for what, (report, trace), want_rc, want_message in cases:
        command = [plot, '--report', report, '-o', os.path.join(work, 'out.png')]
        if trace:
            command += ['--power-csv', trace]
        rc, err = run(command)
        check(rc == want_rc, f'{what}: exit code {want_rc} (got {rc})')
        check('Traceback' not in err, f'{what}: no traceback')
        if want_message:
            check(re.search(want_message, err) is not None, f"{what}: says '{want_message}'")

    # Without site-packages (python3 -S), matplotlib cannot be imported.
    rc, err = run([sys.executable, '-S', plot, '--report', good_report, '-o',
                   os.path.join(work, 'out.png')])
    check(rc == 3, f'no matplotlib: exit code 3 (got {rc})')
    check('python3-matplotlib is not installed: apt-get install python3-matplotlib' in err,
          'no matplotlib: says how to install it')


def main(argv):
    if len(argv) == 5 and argv[0] == 'duty_cycle':
        check_duty_cycle(*argv[1:])
    elif len(argv) == 3 and argv[0] == 'bad_input':
        check_bad_input(*argv[1:])
    else:
        print(__doc__, file=sys.stderr)
        return 2
    if failures:
        print(f'{len(failures)} check(s) failed', file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
