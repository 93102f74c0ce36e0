#!/usr/bin/python3
"""Tests of plots.py: the Pareto front, the reference-chip table and the two pictures.

Run from the repository root with  /usr/bin/python3 -m unittest tools/sweep/test_plots.py
or as  python3 tools/sweep/test_plots.py. The picture tests need matplotlib (Debian's
python3-matplotlib): under unittest an interpreter without it skips them and says so; run as a
script, the file hands itself to /usr/bin/python3 instead.
"""

import importlib.util
import math
import os
import random
import re
import sys
import tempfile
import unittest
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import plots  # noqa: E402  (beside this file, not an installed package)

REFERENCE = os.path.join(HERE, 'reference_chips.csv')
# The project's shared folder sits beside the repository (README.md: ../shared/).
CALIBRATION = os.path.join(HERE, '..', '..', '..', 'shared', 'CALIBRATION.md')
HAVE_MATPLOTLIB = importlib.util.find_spec('matplotlib') is not None
NEEDS_MATPLOTLIB = unittest.skipUnless(
    HAVE_MATPLOTLIB, f'{sys.executable} cannot import matplotlib: use /usr/bin/python3')
PNG_MAGIC = b'\x89PNG\r\n\x1a\n'

# Every CALIBRATION.md figure the table must hold: (chip, bits, TOPS/W, level).
EXPECTED = {
    ('BrainTTA', 1, 28.6, 'peak'), ('BrainTTA', 1.58, 14.9, 'peak'), ('BrainTTA', 8, 2.47, 'peak'),
    ('Fujiwara SRAM CIM', 4, 254, 'peak'), ('Fujiwara SRAM CIM', 8, 63, 'peak'),
    ('DIANA analog', 1.58, 600, 'peak'), ('DIANA digital', 8, 14, 'peak'),
    ('DIANA ResNet20', 1.58, 7.02, 'system'), ('DIANA ResNet18', 1.58, 5.56, 'system'),
    ('NeuRRAM', 4, 40, 'peak'), ('RRAM macro 8Mb', 8, 21.6, 'peak'),
    ('Xue RRAM macro (low)', 8, 11.91, 'peak'), ('Xue RRAM macro (high)', 8, 195.7, 'peak'),
    ('TinyVers (high)', 2, 17, 'peak'), ('TinyVers (low)', 8, 0.8, 'peak'),
    ('Kraken cluster', 8, 1.8, 'peak'), ('CUTIE', 1.58, 1036, 'peak'), ('SNE', 4, 4.5, 'peak'),
}
NAMED_BITS = {'binary': 1, 'ternary': 1.58, 'int4': 4, 'int8': 8}


def svg_texts(path):
    """The text of every <text> element of an SVG (it must parse)."""
    root = ET.parse(path).getroot()
    return [''.join(e.itertext()) for e in root.iter() if e.tag.endswith('}text')]


def read_bytes(path):
    with open(path, 'rb') as f:
        return f.read()


# ---------------------------------------------------------------------------------------------

class ParetoFrontTest(unittest.TestCase):
    def test_dominated_equal_and_missing(self):
        points = [
            {'e': 1, 'l': 5},             # 0 front: lowest e
            {'e': 2, 'l': 2},             # 1 front
            {'e': 3, 'l': 3},             # 2 dominated by 1
            {'e': 2, 'l': 2},             # 3 equal to 1: kept as well
            {'e': 5, 'l': 1},             # 4 front: lowest l
            {'e': None, 'l': 0.1},        # 5 ignored: None
            {'e': 0.5},                   # 6 ignored: no l
            {'e': math.nan, 'l': 0.1},    # 7 ignored: NaN
            {'e': 0.1, 'l': math.inf},    # 8 ignored: infinite
            {'e': 1, 'l': 6},             # 9 dominated by 0 (same e, worse l)
            {'e': 6, 'l': 1},             # 10 dominated by 4 (same l, worse e)
            {'e': '0.1', 'l': 0.1},       # 11 ignored: a string is not a number
            {'e': True, 'l': 0.1},        # 12 ignored: a bool is not a number
        ]
        self.assertEqual(plots.pareto_front(points, 'e', 'l'), [0, 1, 3, 4])

    def test_all_equal_points_are_kept(self):
        points = [{'x': 2.0, 'y': 3.0}] * 3
        self.assertEqual(plots.pareto_front(points, 'x', 'y'), [0, 1, 2])

    def test_nothing_usable(self):
        self.assertEqual(plots.pareto_front([], 'x', 'y'), [])
        self.assertEqual(plots.pareto_front([{'x': 1}, {'y': 2}], 'x', 'y'), [])

    def test_not_a_dict(self):
        with self.assertRaisesRegex(ValueError, 'point 1'):
            plots.pareto_front([{'x': 1, 'y': 1}, (1, 2)], 'x', 'y')

    def test_matches_the_definition(self):
        rng = random.Random(7)
        # A coarse grid gives many ties on one metric and exact duplicates.
        points = [{'x': rng.randint(1, 8), 'y': rng.randint(1, 8)} for _ in range(200)]

        def dominated(p):
            return any(q['x'] <= p['x'] and q['y'] <= p['y'] and
                       (q['x'] < p['x'] or q['y'] < p['y']) for q in points)
        expected = sorted((i for i, p in enumerate(points) if not dominated(p)),
                          key=lambda i: (points[i]['x'], points[i]['y'], i))
        self.assertEqual(plots.pareto_front(points, 'x', 'y'), expected)


class MetricLabelTest(unittest.TestCase):
    def test_units(self):
        self.assertEqual(plots.metric_label('energy_per_inference_j'), 'energy per inference (J)')
        self.assertEqual(plots.metric_label('latency_s'), 'latency (s)')
        self.assertEqual(plots.metric_label('area_mm2'), 'area (mm²)')
        self.assertEqual(plots.metric_label('e2e_tops_per_w'), 'e2e (TOPS/W)')
        self.assertEqual(plots.metric_label('accuracy'), 'accuracy')


# ---------------------------------------------------------------------------------------------

class ShippedReferenceTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.rows = plots.load_reference(REFERENCE)

    def test_every_row_has_a_source(self):
        for row in self.rows:
            self.assertTrue(row['source'], row)

    def test_every_figure_is_present(self):
        got = {(r['chip'], r['bits'], r['tops_per_w'], r['level']) for r in self.rows}
        self.assertEqual(got, EXPECTED)
        self.assertEqual(len(self.rows), len(EXPECTED))

    def test_named_precisions_sit_at_their_bits(self):
        for row in self.rows:
            if row['precision'] in NAMED_BITS:
                self.assertEqual(row['bits'], NAMED_BITS[row['precision']], row)

    def test_comments_explain_the_assumptions(self):
        with open(REFERENCE, encoding='utf-8') as f:
            comments = ' '.join(line for line in f if line.startswith('#'))
        for topic in ('TinyVers', 'Kraken', 'SNE', 'DIANA ResNet20', 'NeuRRAM', 'weight bits'):
            self.assertIn(topic, comments)

    @unittest.skipUnless(os.path.exists(CALIBRATION), 'no ../shared/CALIBRATION.md beside the repo')
    def test_figures_and_sources_come_from_calibration(self):
        with open(CALIBRATION, encoding='utf-8') as f:
            calibration = f.read()
        for row in self.rows:
            self.assertIn(row['source'], calibration, row['chip'])
            number = f"{row['tops_per_w']:g}"
            self.assertRegex(calibration, rf'(?<![\d.]){re.escape(number)}(?![\d])', row['chip'])


class MalformedReferenceTest(unittest.TestCase):
    HEADER = 'chip,precision,bits,tops_per_w,level,source\n'
    GOOD = 'A,int8,8,2.5,peak,"X et al., 2022"\n'

    def load(self, text):
        with tempfile.NamedTemporaryFile('w', suffix='.csv', delete=False,
                                         encoding='utf-8') as f:
            f.write(text)
        self.addCleanup(os.unlink, f.name)
        return f.name

    def assertProblem(self, text, line, words):
        path = self.load(text)
        with self.assertRaises(ValueError) as caught:
            plots.load_reference(path)
        message = str(caught.exception)
        self.assertIn(path, message)
        self.assertIn(f'line {line}', message)
        self.assertIn(words, message)

    def test_bad_number(self):
        self.assertProblem('# comment\n\n' + self.HEADER + self.GOOD +
                           'B,int4,4,lots,peak,Y\n', 5, 'tops_per_w')

    def test_non_positive_bits(self):
        self.assertProblem(self.HEADER + 'B,int4,0,3,peak,Y\n', 2, 'bits')

    def test_missing_column(self):
        self.assertProblem('# no level\nchip,precision,bits,tops_per_w,source\n'
                           'A,int8,8,2.5,"X et al."\n', 2, 'level')

    def test_wrong_level(self):
        self.assertProblem(self.HEADER + self.GOOD + '# between\n' +
                           'B,int4,4,3,average,Y\n', 4, 'average')

    def test_wrong_field_count(self):
        self.assertProblem(self.HEADER + 'B,int4,4,3,peak\n', 2, 'fields')

    def test_empty_source(self):
        self.assertProblem(self.HEADER + 'B,int4,4,3,peak,\n', 2, 'source')

    def test_no_rows(self):
        path = self.load('# only a header\n' + self.HEADER)
        with self.assertRaisesRegex(ValueError, re.escape(path) + '.*no data rows'):
            plots.load_reference(path)

    def test_good_file(self):
        rows = plots.load_reference(self.load(self.HEADER + self.GOOD))
        self.assertEqual(rows, [{'chip': 'A', 'precision': 'int8', 'bits': 8.0,
                                 'tops_per_w': 2.5, 'level': 'peak', 'source': 'X et al., 2022'}])


# ---------------------------------------------------------------------------------------------

class PictureTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.addCleanup(self.dir.cleanup)

    def path(self, name):
        return os.path.join(self.dir.name, name)

    def check_files(self, png, svg):
        self.assertTrue(read_bytes(png).startswith(PNG_MAGIC))
        self.assertGreater(os.path.getsize(svg), 0)
        return svg_texts(svg)

    def check_deterministic(self, draw):
        first = draw([self.path('a.png'), self.path('a.svg')])
        second = draw([self.path('b.png'), self.path('b.svg')])
        alone = draw([self.path('c.svg')])
        self.assertEqual(len(first), 2)
        self.assertEqual(read_bytes(first[0]), read_bytes(second[0]))
        self.assertEqual(read_bytes(first[1]), read_bytes(second[1]))
        self.assertEqual(read_bytes(first[1]), read_bytes(alone[0]))   # a PNG first changes nothing

    def check_bad_suffix(self, draw):
        good, bad = self.path('fine.png'), self.path('picture.pdf')
        with self.assertRaisesRegex(ValueError, re.escape(bad)):
            draw([good, bad])
        self.assertFalse(os.path.exists(good))     # checked before anything is drawn
        with self.assertRaisesRegex(ValueError, 'no output path'):
            draw([])


POINTS = [
    {'id': 'fast', 'energy_per_inference_j': 4e-6, 'latency_s': 1e-4},
    {'id': 'frugal', 'energy_per_inference_j': 5e-7, 'latency_s': 2e-3},
    {'id': 'middle', 'energy_per_inference_j': 1e-6, 'latency_s': 5e-4},
    {'id': 'loser', 'energy_per_inference_j': 5e-6, 'latency_s': 3e-3},
    {'id': 'twin', 'energy_per_inference_j': 1e-6, 'latency_s': 5e-4},
    {'id': 'failed', 'energy_per_inference_j': None, 'latency_s': 1e-5},
]


@NEEDS_MATPLOTLIB
class PlotParetoTest(PictureTest):
    def draw(self, out_paths, points=POINTS, **kwargs):
        return plots.plot_pareto(points, 'energy_per_inference_j', 'latency_s', out_paths,
                                 **kwargs)

    def test_png_and_svg(self):
        png, svg = self.draw([self.path('p.png'), self.path('p.svg')], title='sweep $1')
        texts = self.check_files(png, svg)
        for text in ('energy per inference (J)', 'latency (s)', 'sweep $1',
                     'fast', 'frugal', 'middle', 'twin'):
            self.assertIn(text, texts)
        self.assertNotIn('loser', texts)        # dominated points are not labelled
        self.assertNotIn('failed', texts)       # nor are points without the metrics

    def test_given_axis_labels_and_long_ids(self):
        points = [{'job': 'a' * 40, 'e': 1.0, 't': 1.0}]
        _, svg = plots.plot_pareto(points, 'e', 't', [self.path('p.png'), self.path('p.svg')],
                                   label_key='job', xlabel='energy (uJ)', ylabel='time (ms)')
        texts = svg_texts(svg)
        self.assertIn('energy (uJ)', texts)
        self.assertIn('time (ms)', texts)
        self.assertIn('a' * (plots.LABEL_CHARS - 1) + '…', texts)

    def test_deterministic(self):
        self.check_deterministic(self.draw)

    def test_bad_suffix(self):
        self.check_bad_suffix(self.draw)

    def test_nothing_to_draw(self):
        with self.assertRaisesRegex(ValueError, 'points is empty'):
            self.draw([self.path('p.png')], points=[])
        with self.assertRaisesRegex(ValueError, "energy_per_inference_j' and 'latency_s"):
            self.draw([self.path('p.png')], points=[{'id': 'x', 'latency_s': 1.0}])

    def test_not_positive(self):
        with self.assertRaisesRegex(ValueError, 'point 1 has latency_s'):
            self.draw([self.path('p.png')], points=POINTS[:1] + [dict(POINTS[1], latency_s=0)])


EDGEVP = [
    {'label': 'cnn digital', 'bits': 8, 'tops_per_w_peak': 63.0, 'tops_per_w_e2e': 0.41},
    {'label': 'mlp analog', 'bits': 4, 'tops_per_w_peak': None, 'tops_per_w_e2e': 0.19},
    {'label': 'mlp snn', 'bits': 4, 'tops_per_w_peak': 4.5, 'tops_per_w_e2e': math.nan},
    {'label': 'never ran', 'bits': 8, 'tops_per_w_peak': None, 'tops_per_w_e2e': None},
]


@NEEDS_MATPLOTLIB
class PlotFig7Test(PictureTest):
    @classmethod
    def setUpClass(cls):
        cls.rows = plots.load_reference(REFERENCE)

    def draw(self, out_paths, rows=None, points=EDGEVP, **kwargs):
        return plots.plot_fig7(self.rows if rows is None else rows, points, out_paths, **kwargs)

    def test_png_and_svg(self):
        png, svg = self.draw([self.path('f.png'), self.path('f.svg')], title='Fig. 7')
        texts = self.check_files(png, svg)
        expected = ['Fig. 7', 'energy efficiency (TOPS/W)', 'binary', 'ternary', '2b', '4b', '8b',
                    'cnn digital', 'mlp analog', 'mlp snn', 'edgevp, peak', 'edgevp, end to end',
                    'published, system (whole network)']
        for text in expected + sorted({row['chip'] for row in self.rows}):
            self.assertIn(text, texts)
        self.assertNotIn('never ran', texts)    # neither efficiency: skipped

    def test_peak_joined_to_end_to_end(self):
        chips = [plots.check_chip(r, i) for i, r in enumerate(self.rows)]
        configs = [plots.check_config(EDGEVP[0], 0)]
        fig = plots.fig7_figure(chips, configs, None)
        ax = fig.axes[0]
        verticals = [line for line in ax.get_lines()
                     if len(set(line.get_xdata())) == 1 and len(line.get_xdata()) == 2]
        self.assertEqual(len(verticals), 1)
        self.assertEqual(sorted(verticals[0].get_ydata()), [0.41, 63.0])

    def test_system_level_is_hollow(self):
        chips = [plots.check_chip(r, i) for i, r in enumerate(self.rows)]
        ax = plots.fig7_figure(chips, [], None).axes[0]
        filled = {}
        for collection in ax.collections:
            (x, y), = collection.get_offsets()
            faces = collection.get_facecolor()
            filled[y] = len(faces) > 0 and faces[0][3] > 0
        self.assertFalse(filled[7.02])          # DIANA ResNet20, system
        self.assertTrue(filled[600])            # DIANA analog, peak

    def test_other_bits_get_a_tick(self):
        _, svg = self.draw([self.path('f.png'), self.path('f.svg')],
                           points=[{'label': 'w3', 'bits': 3, 'tops_per_w_peak': 9.0,
                                    'tops_per_w_e2e': 1.0}])
        self.assertIn('3b', svg_texts(svg))

    def test_deterministic(self):
        self.check_deterministic(self.draw)

    def test_bad_suffix(self):
        self.check_bad_suffix(self.draw)

    def test_nothing_to_draw(self):
        with self.assertRaisesRegex(ValueError, 'reference_rows is empty'):
            self.draw([self.path('f.png')], rows=[])

    def test_published_chips_alone(self):
        (png,) = self.draw([self.path('f.png')], points=[])
        self.assertTrue(read_bytes(png).startswith(PNG_MAGIC))

    def test_bad_points(self):
        with self.assertRaisesRegex(ValueError, r'edgevp point 0 \(odd\): bits'):
            self.draw([self.path('f.png')], points=[{'label': 'odd', 'tops_per_w_e2e': 1.0}])
        with self.assertRaisesRegex(ValueError, 'tops_per_w_peak = -1'):
            self.draw([self.path('f.png')], points=[{'label': 'neg', 'bits': 8,
                                                     'tops_per_w_peak': -1}])
        with self.assertRaisesRegex(ValueError, "reference row 0 has no 'level'"):
            self.draw([self.path('f.png')], rows=[{'chip': 'A', 'bits': 1, 'tops_per_w': 1}])


def main():
    # `python3 test_plots.py` may find an interpreter without matplotlib first on PATH (pyenv,
    # a venv): run the whole suite under Debian's, which the shebang names, rather than skip.
    debian = '/usr/bin/python3'
    if (not HAVE_MATPLOTLIB and os.path.exists(debian)
            and os.path.realpath(sys.executable) != os.path.realpath(debian)):
        print(f'test_plots.py: {sys.executable} has no matplotlib, running {debian}',
              file=sys.stderr)
        os.execv(debian, [debian, os.path.abspath(__file__)] + sys.argv[1:])
    unittest.main()


if __name__ == '__main__':
    main()
