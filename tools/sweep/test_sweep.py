#!/usr/bin/python3
"""Tests of the sweep tool on real edgevp runs (EDGEVP, EDGEVP_FIRMWARE_DIR in the environment).

    EDGEVP=build/ci/edgevp EDGEVP_FIRMWARE_DIR=build/ci/firmware/bin python3 tools/sweep/test_sweep.py
    ... test_sweep.py SlurmBackend    (needs a Slurm cluster: SLURM_CONF, scripts/slurm-local.sh)
"""

import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import spec as specmod  # noqa: E402

EDGEVP = os.path.abspath(os.environ.get('EDGEVP', os.path.join(HERE, '..', '..', 'build', 'ci', 'edgevp')))
FW_DIR = os.path.abspath(os.environ.get('EDGEVP_FIRMWARE_DIR',
                                        os.path.join(os.path.dirname(EDGEVP), 'firmware', 'bin')))
SWEEP = [sys.executable, os.path.join(HERE, 'sweep.py')]
FIRMWARE = 'fmnist_mlp_analog_20'

BASE = f'''
[sweep]
name = "t"
firmware = "{FIRMWARE}"
firmware_dir = "{FW_DIR}"
{{extra}}
[[axis]]
key = "cim1.adc_bits"
values = {{bits}}

[metrics]
region = "infer"
accuracy = 'accuracy (\\d+)/(\\d+)'
ops_per_inference = 218000

[[constraint]]
metric = "accuracy"
min = {{min_acc}}

[select]
minimise = "energy_per_inference_j"
'''


def spec_text(bits='[5, 8]', extra='', min_acc=0.5):
    return BASE.format(bits=bits, extra=extra, min_acc=min_acc)


class Tmp(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix='sweep-test-')

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def write(self, name, text):
        p = os.path.join(self.tmp, name)
        with open(p, 'w') as f:
            f.write(text)
        return p

    def sweep(self, *args, ok=True):
        p = subprocess.run(SWEEP + list(args) + ['--edgevp', EDGEVP], capture_output=True, text=True, check=False)
        if ok:
            self.assertEqual(p.returncode, 0, p.stderr + p.stdout)
        return p

    def results(self, d):
        with open(os.path.join(d, 'results.json')) as f:
            return json.load(f)


class Specification(Tmp):
    def test_product_zip_and_ranges_expand(self):
        p = self.write('s.toml', spec_text(bits='[4, 6, 8]') + '\n[[axis]]\nkey = "cim1.read_noise"\n'
                       'range = [0.0, 0.02, 0.01]\n')
        sp = specmod.load(p)
        jobs = specmod.expand(sp, FW_DIR)
        self.assertEqual(len(jobs), 9)
        self.assertEqual(sorted({j['keys']['cim1.read_noise'] for j in jobs}), ['0.0', '0.01', '0.02'])
        z = self.write('z.toml', spec_text(bits='[4, 6]', extra='combine = "zip"') +
                       '\n[[axis]]\nkey = "meta.bits"\nvalues = [1, 2]\n')
        jz = specmod.expand(specmod.load(z), FW_DIR)
        self.assertEqual([(j['keys']['cim1.adc_bits'], j['meta']['bits']) for j in jz], [('4', 1), ('6', 2)])
        self.assertNotIn('meta.bits', jz[0]['keys'])
        lg = self.write('l.toml', spec_text(bits='[4]') + '\n[[axis]]\nkey = "cim1.read_noise"\n'
                        'logrange = [0.001, 0.1, 3]\n')
        self.assertEqual([j['keys']['cim1.read_noise'] for j in specmod.expand(specmod.load(lg), FW_DIR)],
                         ['0.001', '0.01', '0.1'])

    def test_ids_follow_content(self):
        a = specmod.expand(specmod.load(self.write('a.toml', spec_text(bits='[5, 8]'))), FW_DIR)
        b = specmod.expand(specmod.load(self.write('b.toml', spec_text(bits='[8, 5, 6]'))), FW_DIR)
        ida = {j['keys']['cim1.adc_bits']: j['id'] for j in a}
        idb = {j['keys']['cim1.adc_bits']: j['id'] for j in b}
        self.assertEqual(ida['5'], idb['5'])
        self.assertEqual(ida['8'], idb['8'])
        self.assertNotIn(idb['6'], ida.values())
        self.assertEqual(len(set(idb.values())), 3)

    def test_errors_name_the_file_and_key(self):
        cases = [
            (spec_text().replace('[metrics]', '[metrics]\nbogus = 1'), "[metrics]: unknown key 'bogus'"),
            (spec_text(extra='combine = "zip"') + '\n[[axis]]\nkey = "cim1.seed"\nvalues = [1, 2, 3]\n',
             'axes of equal length'),
            (spec_text(bits='[]'), 'axis[0].values: expected a non-empty list'),
            (spec_text(extra='repetitions = 3'), 'sweep.seed_key'),
            (spec_text() + '\n[[axis]]\nkey = "cim1.read_noise"\nrange = [1, 0, 1]\n', 'axis[1].range'),
            ('[sweep\n', 'not valid TOML'),
        ]
        for text, want in cases:
            p = self.write('bad.toml', text)
            with self.assertRaises(specmod.SpecError) as cm:
                specmod.expand(specmod.load(p), FW_DIR)
            self.assertIn(want, str(cm.exception))
            self.assertIn('bad.toml', str(cm.exception))
        r = self.sweep('run', p, '--dir', os.path.join(self.tmp, 'd'), ok=False)
        self.assertEqual(r.returncode, 2)
        self.assertIn('bad.toml', r.stderr)


class LocalBackend(Tmp):
    def test_resume_runs_only_what_is_not_done(self):
        d = os.path.join(self.tmp, 'd')
        p = self.write('s.toml', spec_text(bits='[5, 8]'))
        self.sweep('run', p, '--dir', d, '-j', '2')
        self.assertEqual(self.results(d)['done'], 2)
        r = self.sweep('run', p, '--dir', d)
        self.assertIn('2 already run, 0 to run', r.stderr)
        p2 = self.write('s.toml', spec_text(bits='[5, 6, 8]'))
        r = self.sweep('run', p2, '--dir', d)
        self.assertIn('2 already run, 1 to run', r.stderr)
        res = self.results(d)
        self.assertEqual(res['done'], 3)
        # A job killed mid-way has no status: it runs again, and only it.
        victim = res['rows'][0]['id']
        os.remove(os.path.join(d, 'jobs', victim, 'status.json'))
        r = self.sweep('run', p2, '--dir', d)
        self.assertIn('2 already run, 1 to run', r.stderr)

    def test_progress_line_on_a_terminal(self):  # script(1): Debian's bsdutils, essential
        d = os.path.join(self.tmp, 'd')
        p = self.write('s.toml', spec_text(bits='[0, 5, 8]'))
        cmd = ' '.join(SWEEP + ['run', p, '--dir', d, '-j', '1', '--edgevp', EDGEVP])
        r = subprocess.run(['script', '-qec', cmd, '/dev/null'], capture_output=True, text=True, check=False)
        lines = r.stdout.replace('\r', '\n')
        self.assertIn('1/3 done', lines)
        self.assertIn('3/3 done, 1 failed, ETA', lines)  # adc_bits 0 fails
        # Not on a terminal: no progress line.
        r = self.sweep('run', p, '--dir', os.path.join(self.tmp, 'e'), '-j', '1')
        self.assertNotIn('ETA', r.stderr + r.stdout)

    def test_failed_jobs_are_recorded_and_the_sweep_goes_on(self):
        d = os.path.join(self.tmp, 'd')
        p = self.write('s.toml', spec_text(bits='[0, 8]'))  # adc_bits 0 is out of range: exit 64
        self.sweep('run', p, '--dir', d)
        res = self.results(d)
        self.assertEqual((res['done'], res['failed']), (1, 1))
        bad = [r for r in res['rows'] if r['status'] == 'failed'][0]
        self.assertEqual(bad['cim1.adc_bits'], 0)
        self.assertIn('usage error (exit 64)', bad['reason'])
        self.assertIn('cim1.adc_bits', bad['reason'])
        # A simulated-time limit is a failure with its reason too.
        p = self.write('t.toml', spec_text(bits='[8]', extra='max_time = "1ms"'))
        self.sweep('run', p, '--dir', os.path.join(self.tmp, 't'))
        res = self.results(os.path.join(self.tmp, 't'))
        self.assertEqual(res['failed'], 1)
        self.assertIn('exit 124', res['failed_jobs'][0]['reason'])

    def test_constraints_select_the_best_and_its_cfg_reruns_it(self):
        d = os.path.join(self.tmp, 'd')
        p = self.write('s.toml', spec_text(bits='[4, 6, 8]', min_acc=0.7))
        self.sweep('run', p, '--dir', d)
        res = self.results(d)
        rows = {r['id']: r for r in res['rows']}
        ok = [r for r in rows.values() if r['accuracy'] >= 0.7]
        self.assertTrue(ok, 'no job meets the constraint: the test needs a looser one')
        best = rows[res['best']]
        self.assertGreaterEqual(best['accuracy'], 0.7)
        self.assertEqual(best['energy_per_inference_j'], min(r['energy_per_inference_j'] for r in ok))
        # Every row that is cheaper breaks the constraint.
        for r in rows.values():
            if r['energy_per_inference_j'] < best['energy_per_inference_j']:
                self.assertLess(r['accuracy'], 0.7)
        cfg = os.path.join(d, 'best.cfg')
        rep = os.path.join(self.tmp, 'rerun.json')
        subprocess.run([EDGEVP, '-q', '--config', cfg, '--report', rep, os.path.join(FW_DIR, FIRMWARE + '.elf')],
                       check=True, capture_output=True)
        with open(rep) as f:
            again = json.load(f)
        infer = [t for t in again['region_totals'] if t['name'] == 'infer'][0]
        self.assertEqual(infer['energy_j'] / infer['count'], best['energy_per_inference_j'])
        # No job meets an impossible constraint: no best, no stale best.cfg.
        p = self.write('s.toml', spec_text(bits='[4, 6, 8]', min_acc=1.01))
        self.sweep('results', p, '--dir', d)
        self.assertIsNone(self.results(d)['best'])
        self.assertFalse(os.path.exists(cfg))

    def test_repetitions_are_judged_on_their_means(self):
        d = os.path.join(self.tmp, 'd')
        p = self.write('s.toml', spec_text(bits='[4, 8]', extra='repetitions = 3\nseed_key = "cim1.seed"'))
        self.sweep('run', p, '--dir', d)
        res = self.results(d)
        self.assertEqual(res['done'], 6)
        self.assertEqual(len(res['points']), 2)
        for pt in res['points']:
            reps = [r for r in res['rows'] if r['cim1.adc_bits'] == pt['cim1.adc_bits']]
            self.assertEqual(len(reps), 3)
            self.assertAlmostEqual(pt['accuracy'], sum(r['accuracy'] for r in reps) / 3)
        if res['best']:
            self.assertIn(res['best'], [pt['id'] for pt in res['points']])
            best = [pt for pt in res['points'] if pt['id'] == res['best']][0]
            self.assertGreaterEqual(best['accuracy'], 0.5)

    def test_results_csv_has_the_metrics(self):
        d = os.path.join(self.tmp, 'd')
        p = self.write('s.toml', spec_text(bits='[8]'))
        self.sweep('run', p, '--dir', d)
        with open(os.path.join(d, 'results.csv')) as f:
            rows = list(csv.DictReader(f))
        self.assertEqual(len(rows), 1)
        r = rows[0]
        for col in ('cim1.adc_bits', 'energy_per_inference_j', 'latency_s', 'accuracy', 'tops_per_w',
                    'energy.soc.cpu_j', 'domain.cpu_j', 'util.cim1', 'host_s'):
            self.assertIn(col, r)
        self.assertEqual(r['status'], 'done')
        parts = sum(float(v) for k, v in r.items() if k.startswith('energy.soc.'))
        self.assertAlmostEqual(parts / float(r['energy_per_inference_j']), 1.0, places=9)
        self.assertGreater(float(r['util.cim1']), 0)
        self.assertAlmostEqual(float(r['tops_per_w']), 218000 / float(r['energy_per_inference_j']) / 1e12)

    def test_plots_are_written(self):
        d = os.path.join(self.tmp, 'd')
        p = self.write('s.toml', spec_text(bits='[4, 6, 8]'))
        self.sweep('run', p, '--dir', d)
        png, svg = os.path.join(self.tmp, 'f.png'), os.path.join(self.tmp, 'f.svg')
        self.sweep('plot', p, '--dir', d, '-o', png, '-o', svg)
        with open(png, 'rb') as f:
            self.assertEqual(f.read(8), b'\x89PNG\r\n\x1a\n')
        with open(svg) as f:
            text = f.read()
        self.assertIn('energy per inference', text)


class Fig7(Tmp):
    def test_peak_from_the_peak_run_and_end_to_end_from_the_network(self):
        text = f'''
[sweep]
name = "k"
firmware_dir = "{FW_DIR}"
combine = "zip"
[[axis]]
key = "firmware"
values = ["{FIRMWARE}", "cim_peak"]
[[axis]]
key = "meta.label"
values = ["mlp analog", "peaks"]
[[axis]]
key = "meta.bits"
values = [8, 0]
[[axis]]
key = "meta.peak_region"
values = ["cim1.peak_i8w8", ""]
[[axis]]
key = "meta.ops_per_inference"
values = [203264, 0]
[metrics]
region = "infer"
accuracy = 'accuracy (\\d+)/(\\d+)'
'''
        p = self.write('k.toml', text)
        d = os.path.join(self.tmp, 'd')
        self.sweep('run', p, '--dir', d)
        res = self.results(d)
        self.assertEqual(res['done'], 2)  # the peak run closes no 'infer' and prints no accuracy: still done
        peak_row = [r for r in res['rows'] if r['meta.label'] == 'peaks'][0]
        self.assertIsNone(peak_row['energy_per_inference_j'])
        self.assertIsNone(peak_row['accuracy'])
        out = os.path.join(self.tmp, 'f7.svg')
        r = self.sweep('fig7', p, '--dir', d, '-o', out)
        line = [ln for ln in r.stdout.splitlines() if 'mlp analog' in ln][0]
        peak = float(line.split('peak')[1].split('TOPS/W')[0])
        e2e = float(line.split('end to end')[1].split('TOPS/W')[0])
        # The peak is the analog CIM alone on a full-array stream: far above the SoC end to end.
        self.assertGreater(peak, 20 * e2e)
        net = [r for r in res['rows'] if r['meta.label'] == 'mlp analog'][0]
        self.assertAlmostEqual(e2e, net['tops_per_w'], places=2)
        with open(out) as f:
            self.assertIn('mlp analog', f.read())


class Recost(Tmp):
    SET = {'cpu.power.insn.alu': '9pJ', 'sram.power.leakage': '60uW', 'cim1.power.access': '5pJ',
           'cpu.power.background': '80uW'}

    def test_recost_equals_a_rerun(self):
        d, out, rerun = (os.path.join(self.tmp, n) for n in ('d', 'out', 'rerun'))
        p = self.write('s.toml', spec_text(bits='[5, 8]'))
        self.sweep('run', p, '--dir', d)
        args = []
        for k, v in self.SET.items():
            args += ['--set', f"{k}={v}"]
        self.sweep('recost', p, '--dir', d, '--out', out, *args)
        fixed = ', '.join(f'"{k}" = "{v}"' for k, v in self.SET.items())
        p2 = self.write('s2.toml', spec_text(bits='[5, 8]', extra=f'set = {{ {fixed} }}'))
        self.sweep('run', p2, '--dir', rerun)
        a = {r['cim1.adc_bits']: r for r in self.results(out)['rows']}
        b = {r['cim1.adc_bits']: r for r in self.results(rerun)['rows']}
        orig = {r['cim1.adc_bits']: r for r in self.results(d)['rows']}
        self.assertEqual(set(a), {5, 8})
        for bits in a:
            self.assertNotAlmostEqual(a[bits]['energy_j'] / orig[bits]['energy_j'], 1.0, places=3)
            for k, v in b[bits].items():
                if k.startswith(('energy', 'domain.')) or k in ('tops_per_w',):
                    self.assertAlmostEqual(a[bits][k] / v if v else a[bits][k], 1.0 if v else 0.0, places=7,
                                           msg=f"{k}: recost {a[bits][k]} rerun {v}")
            self.assertEqual(a[bits]['accuracy'], b[bits]['accuracy'])

    def test_recost_refuses_what_it_cannot_cost(self):
        d, out = os.path.join(self.tmp, 'd'), os.path.join(self.tmp, 'out')
        p = self.write('s.toml', spec_text(bits='[8]'))
        self.sweep('run', p, '--dir', d)
        r = self.sweep('recost', p, '--dir', d, '--out', out, '--set', 'cim1.adc_bits=6', ok=False)
        self.assertEqual(r.returncode, 2)
        self.assertIn("'cim1.adc_bits' is not a power parameter", r.stderr)
        r = self.sweep('recost', p, '--dir', d, '--out', out, '--set', 'cpu.power.leakage=0.6V:30uW,0.8V:40uW',
                       ok=False)
        self.assertEqual(r.returncode, 2)
        self.assertIn('soc.cpu.power.leakage', r.stderr)
        self.assertIn('table over voltage', r.stderr)


class SlurmBackend(Tmp):
    """Needs a running cluster (SLURM_CONF): scripts/slurm-local.sh start DIR."""

    def test_slurm_equals_local(self):
        self.assertTrue(os.environ.get('SLURM_CONF'), 'SLURM_CONF is not set: start scripts/slurm-local.sh')
        p = self.write('s.toml', spec_text(bits='[4, 5, 6, 8]') + '\n[[axis]]\nkey = "cim1.seed"\nvalues = [1, 2]\n')
        loc, sl = os.path.join(self.tmp, 'local'), os.path.join(self.tmp, 'slurm')
        self.sweep('run', p, '--dir', loc, '-j', '2')
        r = self.sweep('run', p, '--dir', sl, '--backend', 'slurm', '--chunk', '3', '--wait', '--wait-timeout', '600')
        self.assertIn('submitted array', r.stderr)
        self.assertTrue(os.path.isfile(os.path.join(sl, 'slurm', 'sweep.sbatch')))
        chunks = [n for n in os.listdir(os.path.join(sl, 'slurm')) if n.startswith('chunk-')]
        self.assertEqual(len(chunks), 3)  # 8 jobs in chunks of 3

        def strip(res):
            for row in res['rows']:
                row.pop('host_s', None)
            res.pop('spec', None)
            return res

        a, b = strip(self.results(loc)), strip(self.results(sl))
        self.assertEqual(a['done'], 8)
        self.assertEqual(a, b)
        with open(os.path.join(loc, 'results.csv')) as f1, open(os.path.join(sl, 'results.csv')) as f2:
            c1 = [r[:-1] for r in csv.reader(f1)]
            c2 = [r[:-1] for r in csv.reader(f2)]
        self.assertEqual(c1[0][-1] if c1 else None, c2[0][-1] if c2 else None)
        self.assertEqual(c1, c2)
        # The reports are equal too, but for host time.
        for jid in os.listdir(os.path.join(loc, 'jobs')):
            with open(os.path.join(loc, 'jobs', jid, 'report.json')) as fa, \
                    open(os.path.join(sl, 'jobs', jid, 'report.json')) as fb:
                ra, rb = json.load(fa), json.load(fb)
            for r in (ra, rb):
                for k in ('host_wall_time_s', 'host_mips', 'configuration'):
                    r.pop(k)
            self.assertEqual(ra, rb, jid)

    def test_cancelled_array_resumes(self):
        self.assertTrue(os.environ.get('SLURM_CONF'), 'SLURM_CONF is not set: start scripts/slurm-local.sh')
        p = self.write('s.toml', spec_text(bits='[4, 5, 6, 7, 8]'))
        d = os.path.join(self.tmp, 'd')
        # Cancel the array at once: some jobs may have run, the others have no status.
        r = self.sweep('run', p, '--dir', d, '--backend', 'slurm', '--chunk', '1')
        with open(os.path.join(d, 'slurm', 'submitted.txt')) as f:
            ids = f.read().split()
        array_id, agg_id = ids[1], ids[-1]
        subprocess.run(['scancel', array_id, agg_id], check=True)
        import backends
        backends.wait_slurm([array_id, agg_id], timeout_s=120)  # tasks cancelled mid-job have ended
        done = sum(os.path.exists(os.path.join(d, 'jobs', j, 'status.json')) for j in os.listdir(os.path.join(d, 'jobs')))
        r = self.sweep('run', p, '--dir', d, '--backend', 'slurm', '--chunk', '2', '--wait', '--wait-timeout', '600')
        self.assertIn(f"{done} already run, {5 - done} to run", r.stderr)
        self.assertEqual(self.results(d)['done'], 5)


if __name__ == '__main__':
    unittest.main()
