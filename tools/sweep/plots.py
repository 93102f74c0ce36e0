#!/usr/bin/python3
"""Pictures for the design-space sweep: a Pareto front, and the seed's Fig. 7.

A sweep answers "which configurations are worth having": the Pareto front of two metrics to
minimise (energy and latency per inference, say) shows it at a glance. Fig. 7 answers "how does
edgevp compare with silicon": energy efficiency against precision for the published chips
(reference_chips.csv, every figure from ../shared/CALIBRATION.md) beside edgevp's configurations,
each drawn as its peak efficiency joined by a vertical line to its end-to-end efficiency, so the
gap between what an accelerator can do and what a whole application gets is visible.

The same input gives byte-identical files (the sweep's results are compared and committed):
a fixed SVG hash salt, no date or software version in the metadata, a fresh figure per file.
SVG text stays text, so labels can be searched. Only the Agg canvas is used: no display needed.

Errors a caller can fix (a malformed CSV, empty input, an unknown picture suffix) raise
ValueError with a message naming what is wrong. Labels are drawn as given (a '$' is not TeX).
Only the pictures need matplotlib, imported on first use.
"""

import argparse
import csv
import math
import numbers
import os
import sys


COLUMNS = ('chip', 'precision', 'bits', 'tops_per_w', 'level', 'source')
LEVELS = ('peak', 'system')
FORMATS = ('png', 'svg')

# Without a salt the SVG's element ids are random; text as <text> keeps it searchable.
RC = {'svg.hashsalt': 'edgevp', 'svg.fonttype': 'none'}
# The date and the matplotlib version would make the same input give different files.
METADATA = {'png': {'Software': None}, 'svg': {'Date': None, 'Creator': None}}
DPI = 110

GREY = '#b0b0b0'
FRONT_COLOUR = '#d62728'
CHIP_COLOUR = '#1f4e9c'
EDGEVP_COLOUR = '#e07b00'
LABEL_BOX = dict(boxstyle='square,pad=0.1', facecolor='white', edgecolor='none', alpha=0.75)
# Outside the axes, right: no point or label is ever hidden by it.
LEGEND = dict(loc='upper left', bbox_to_anchor=(1.01, 1.0), fontsize='small', frameon=False)
SPREAD = 0.09             # octaves between edgevp configurations drawn at the same bits
LABEL_CHARS = 14          # front labels longer than this are cut (job ids can be long hashes)

# Fig. 7's named precisions; other bit widths get a tick labelled "<n>b".
PRECISION_TICKS = ((1.0, 'binary'), (1.58, 'ternary'), (2.0, '2b'), (4.0, '4b'), (8.0, '8b'))

# Unit suffixes of metric names: energy_per_inference_j -> "energy per inference (J)".
UNITS = {
    'j': 'J', 'mj': 'mJ', 'uj': 'µJ', 'nj': 'nJ', 'pj': 'pJ',
    's': 's', 'ms': 'ms', 'us': 'µs', 'ns': 'ns',
    'w': 'W', 'mw': 'mW', 'uw': 'µW',
    'hz': 'Hz', 'khz': 'kHz', 'mhz': 'MHz',
    'bytes': 'B', 'kb': 'kB', 'mb': 'MB', 'mm2': 'mm²',
    'cycles': 'cycles', 'pct': '%', 'percent': '%',
}
COMPOUND_UNITS = (('_tops_per_w', 'TOPS/W'), ('_gops_per_w', 'GOPS/W'), ('_tops', 'TOPS'),
                  ('_gops', 'GOPS'))
WHOLE_NAMES = {'tops_per_w': 'TOPS/W', 'gops_per_w': 'GOPS/W'}


# ---------------------------------------------------------------------------------------------
# The published chips

def load_reference(path):
    """The rows of a reference-chip CSV as dicts (bits and tops_per_w as floats).

    Lines starting with '#' and blank lines are skipped. The first other line is the header and
    must name exactly COLUMNS (in any order). Raises ValueError "<path>, line N: <problem>".
    """
    path = os.fspath(path)
    try:
        with open(path, encoding='utf-8', newline='') as f:
            lines = f.read().splitlines()
    except UnicodeDecodeError as e:
        raise ValueError(f'{path}: not UTF-8 text ({e.reason})') from None
    header, rows = None, []
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.lstrip().startswith('#'):
            continue
        fields = next(csv.reader([line]))
        if header is None:
            header = check_header(fields, path, number)
        else:
            rows.append(parse_row(fields, header, path, number))
    if header is None:
        raise ValueError(f'{path}: no header line (expected {",".join(COLUMNS)})')
    if not rows:
        raise ValueError(f'{path}: no data rows after the header')
    return rows


def check_header(fields, path, number):
    names = [f.strip() for f in fields]
    missing = [c for c in COLUMNS if c not in names]
    unknown = [n for n in names if n not in COLUMNS]
    duplicated = sorted({n for n in names if names.count(n) > 1})
    if missing:
        raise ValueError(f'{path}, line {number}: missing column(s) {", ".join(missing)}')
    if unknown or duplicated:
        raise ValueError(f'{path}, line {number}: unexpected column(s) '
                         f'{", ".join(unknown + duplicated)}')
    return names


def parse_row(fields, header, path, number):
    where = f'{path}, line {number}'
    if len(fields) != len(header):
        raise ValueError(f'{where}: {len(fields)} fields, the header has {len(header)}')
    row = {name: value.strip() for name, value in zip(header, fields)}
    for name in ('chip', 'precision', 'source'):
        if not row[name]:
            raise ValueError(f'{where}: empty {name}')
    for name in ('bits', 'tops_per_w'):
        row[name] = positive_number(row[name], f'{where}: {name}')
    if row['level'] not in LEVELS:
        raise ValueError(f"{where}: level '{row['level']}' is not one of {', '.join(LEVELS)}")
    return row


def positive_number(text, what):
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{what} '{text}' is not a number") from None
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"{what} '{text}' is not a finite positive number")
    return value


# ---------------------------------------------------------------------------------------------
# The Pareto front

def finite(value):
    """A real, finite number (not a bool, not None, not a string)."""
    return (isinstance(value, numbers.Real) and not isinstance(value, bool)
            and math.isfinite(value))


def usable(points, x, y):
    """Indices of the points whose x and y are both finite numbers."""
    kept = []
    for i, point in enumerate(points):
        if not isinstance(point, dict):
            raise ValueError(f'point {i} is a {type(point).__name__}, not a dict')
        if finite(point.get(x)) and finite(point.get(y)):
            kept.append(i)
    return kept


def pareto_front(points, x, y):
    """Indices of the points no other point dominates, both metrics minimised.

    q dominates p when q is no worse on both metrics and better on at least one. Points equal on
    both metrics do not dominate each other, so all of them are kept (a tie is a real choice:
    the configurations differ elsewhere). Points whose x or y is missing, None, not a number or
    not finite are ignored. The indices come ordered by x, then y, then index; no usable point
    gives [].
    """
    points = list(points or ())
    order = sorted(usable(points, x, y), key=lambda i: (points[i][x], points[i][y], i))
    front, best_y, last = [], math.inf, None
    for i in order:
        here = (points[i][x], points[i][y])
        if here[1] < best_y:
            front.append(i)
            best_y, last = here[1], here
        elif here == last:
            front.append(i)
    return front


# ---------------------------------------------------------------------------------------------
# Labels and output

def metric_label(name):
    """An axis label from a metric name: energy_per_inference_j -> 'energy per inference (J)'."""
    if name in WHOLE_NAMES:
        return WHOLE_NAMES[name]
    for suffix, unit in COMPOUND_UNITS:
        if name.endswith(suffix) and len(name) > len(suffix):
            return f"{name[:-len(suffix)].replace('_', ' ')} ({unit})"
    stem, _, last = name.rpartition('_')
    if stem and last.lower() in UNITS:
        return f"{stem.replace('_', ' ')} ({UNITS[last.lower()]})"
    return name.replace('_', ' ')


def short(value):
    text = str(value)
    return text if len(text) <= LABEL_CHARS else text[:LABEL_CHARS - 1] + '…'


def output_formats(out_paths):
    """[(path, format)] from the suffixes; a single path may be given as a string."""
    if isinstance(out_paths, (str, bytes, os.PathLike)):
        out_paths = [out_paths]
    outputs = []
    for path in out_paths:
        path = os.fspath(path)
        fmt = os.path.splitext(path)[1].lower().lstrip('.')
        if fmt not in FORMATS:
            raise ValueError(f"'{path}': the picture's suffix must be .png or .svg")
        outputs.append((path, fmt))
    if not outputs:
        raise ValueError('no output path given (out_paths is empty)')
    return outputs


def mpl():
    """matplotlib, imported on first use: reading the CSV and the Pareto front do not need it."""
    try:
        import matplotlib
        import matplotlib.backends.backend_agg
        import matplotlib.figure
        import matplotlib.lines
    except ImportError as e:
        raise ImportError(f'{sys.executable} cannot import matplotlib ({e}): use Debian\'s '
                          '/usr/bin/python3 with python3-matplotlib') from None
    return matplotlib


def write(build, outputs):
    """A fresh figure per file: the constrained layout is worked out by the first renderer that
    draws a figure, so the same SVG must not depend on whether a PNG was drawn before it."""
    with mpl().rc_context(RC):
        for path, fmt in outputs:
            fig = build()
            fig.savefig(path, format=fmt, dpi=DPI, metadata=METADATA[fmt])
    return [path for path, _ in outputs]


def new_axes(width, height):
    matplotlib = mpl()
    fig = matplotlib.figure.Figure(figsize=(width, height), layout='constrained')
    matplotlib.backends.backend_agg.FigureCanvasAgg(fig)   # Agg: no display
    return fig, fig.add_subplot()


# ---------------------------------------------------------------------------------------------
# Pareto picture

def plot_pareto(points, x, y, out_paths, title=None, label_key='id', xlabel=None, ylabel=None):
    """Log-log scatter of points (grey) with the Pareto front (both metrics minimised) in colour,
    joined by a step line and labelled with each front point's label_key value.

    Axis labels default to metric_label(x) / metric_label(y). Writes every path in out_paths
    (.png or .svg, by suffix) and returns them. ValueError: no path, a bad suffix, no point with
    a finite x and y, or a value <= 0 (a log axis cannot show it).
    """
    outputs = output_formats(out_paths)
    points = list(points or ())
    if not points:
        raise ValueError('no points to draw: points is empty')
    kept = usable(points, x, y)
    if not kept:
        raise ValueError(f"no point has finite '{x}' and '{y}' ({len(points)} points given)")
    for i in kept:
        for key in (x, y):
            if points[i][key] <= 0:
                raise ValueError(f"point {i} has {key} = {points[i][key]}: a log axis needs > 0")
    front = pareto_front(points, x, y)
    labels = (xlabel or metric_label(x), ylabel or metric_label(y))
    return write(lambda: pareto_figure(points, kept, front, (x, y), labels, title, label_key),
                 outputs)


def pareto_figure(points, kept, front, keys, labels, title, label_key):
    x, y = keys
    fig, ax = new_axes(9.0, 5.5)
    ax.set_xscale('log')
    ax.set_yscale('log')
    ax.margins(0.08)          # room for the labels of the points at the edges
    ax.scatter([points[i][x] for i in kept], [points[i][y] for i in kept], s=18, color=GREY,
               label=f'all points ({len(kept)})', zorder=2)
    fx, fy = [points[i][x] for i in front], [points[i][y] for i in front]
    ax.step(fx, fy, where='post', color=FRONT_COLOUR, linewidth=1.2, zorder=3)
    ax.scatter(fx, fy, s=30, color=FRONT_COLOUR, label=f'Pareto front ({len(front)})', zorder=4)
    for i in front:
        name = points[i].get(label_key)
        # Below-left of a front point is empty: no point there, and the step line leaves it
        # upwards and to the right.
        ax.annotate(short(i if name is None else name), (points[i][x], points[i][y]),
                    xytext=(-4, -4), textcoords='offset points', ha='right', va='top',
                    fontsize=7, color=FRONT_COLOUR, parse_math=False)
    ax.set_xlabel(labels[0], parse_math=False)
    ax.set_ylabel(labels[1], parse_math=False)
    if title:
        ax.set_title(title, parse_math=False)
    ax.grid(True, which='major', color='#e0e0e0', linewidth=0.6)
    ax.legend(**LEGEND)
    return fig


# ---------------------------------------------------------------------------------------------
# Fig. 7: efficiency against precision

FIG7_TITLE = 'Energy efficiency against precision: published chips and edgevp'


def plot_fig7(reference_rows, edgevp_points, out_paths, title=FIG7_TITLE):
    """The seed's Fig. 7: TOPS/W (log) against precision bits (log2, ticks binary ... 8b).

    reference_rows: load_reference()'s rows; peak level filled, system level hollow, spiking
    rows as triangles (their unit is synaptic operations), each labelled with its chip.
    edgevp_points: dicts {label, bits, tops_per_w_peak, tops_per_w_e2e}, either efficiency may be
    None; both of one configuration are joined by a vertical line. A point with neither is
    skipped; edgevp_points may be empty (the published chips alone). Writes every path in
    out_paths and returns them. ValueError: no published chip, a bad suffix or path list, a
    malformed row or point.
    """
    outputs = output_formats(out_paths)
    reference_rows = list(reference_rows or ())
    if not reference_rows:
        raise ValueError('no published chips to draw: reference_rows is empty '
                         '(pass load_reference(reference_chips.csv))')
    chips = [check_chip(row, i) for i, row in enumerate(reference_rows)]
    configs = [c for c in (check_config(p, i) for i, p in enumerate(edgevp_points or ())) if c]
    return write(lambda: fig7_figure(chips, configs, title), outputs)


def check_chip(row, i):
    if not isinstance(row, dict):
        raise ValueError(f'reference row {i} is a {type(row).__name__}, not a dict')
    for key in ('chip', 'bits', 'tops_per_w', 'level'):
        if row.get(key) is None:
            raise ValueError(f"reference row {i} has no '{key}'")
    for key in ('bits', 'tops_per_w'):
        if not finite(row[key]) or row[key] <= 0:
            raise ValueError(f"reference row {i} ({row['chip']}): {key} = {row[key]!r} is not a "
                             f'finite positive number')
    if row['level'] not in LEVELS:
        raise ValueError(f"reference row {i} ({row['chip']}): level {row['level']!r} is not one "
                         f"of {', '.join(LEVELS)}")
    return row


def absent(value):
    """None or NaN: an efficiency a configuration does not have (a failed run reports NaN)."""
    return value is None or (isinstance(value, numbers.Real) and not isinstance(value, bool)
                             and math.isnan(value))


def check_config(point, i):
    """(label, bits, peak, e2e) with None for an absent efficiency; None if both are absent."""
    if not isinstance(point, dict):
        raise ValueError(f'edgevp point {i} is a {type(point).__name__}, not a dict')
    label = point.get('label')
    name = f'edgevp point {i}' + (f' ({label})' if label is not None else '')
    if label is None or str(label) == '':
        raise ValueError(f"{name} has no 'label'")
    bits = point.get('bits')
    if not finite(bits) or bits <= 0:
        raise ValueError(f'{name}: bits = {bits!r} is not a finite positive number')
    values = []
    for key in ('tops_per_w_peak', 'tops_per_w_e2e'):
        value = point.get(key)
        if absent(value):
            values.append(None)
        elif not finite(value) or value <= 0:
            raise ValueError(f'{name}: {key} = {value!r} is not a finite positive number')
        else:
            values.append(value)
    if values == [None, None]:
        return None
    return (str(label), bits, values[0], values[1])


def fig7_figure(chips, configs, title):
    fig, ax = new_axes(10.5, 6.0)
    ax.set_xscale('log', base=2)
    ax.set_yscale('log')
    draw_chips(ax, chips)
    draw_configs(ax, configs)
    bits = [c['bits'] for c in chips] + [c[1] for c in configs]
    set_precision_axis(ax, bits)
    set_efficiency_axis(ax, chips, configs)
    if title:
        ax.set_title(title, parse_math=False)
    ax.grid(True, which='major', color='#e0e0e0', linewidth=0.6)
    ax.legend(handles=fig7_legend(chips, configs), **LEGEND)
    return fig


def is_spiking(row):
    return str(row.get('precision', '')).startswith('spiking')


def draw_chips(ax, chips):
    """Markers labelled with the chip; labels alternate sides within one precision, by efficiency,
    so close values at the same bits do not write over each other."""
    side = {}
    for row in sorted(chips, key=lambda r: (r['bits'], r['tops_per_w'], r['chip'])):
        right = side.get(row['bits'], True)
        side[row['bits']] = not right
        hollow = row['level'] == 'system'
        ax.scatter([row['bits']], [row['tops_per_w']], s=42, marker='^' if is_spiking(row) else 'o',
                   facecolors='none' if hollow else CHIP_COLOUR, edgecolors=CHIP_COLOUR,
                   linewidths=1.3, zorder=4)
        ax.annotate(row['chip'], (row['bits'], row['tops_per_w']),
                    xytext=(6 if right else -6, 0), textcoords='offset points',
                    ha='left' if right else 'right', va='center', fontsize=7, color=CHIP_COLOUR,
                    bbox=LABEL_BOX, zorder=6, parse_math=False)


def spread(configs):
    """x of each configuration: those at the same bits are spread a little apart (log2 space)
    so their vertical lines do not coincide."""
    groups = {}
    for k, config in enumerate(configs):
        groups.setdefault(config[1], []).append(k)
    xs = [0.0] * len(configs)
    for bits, members in groups.items():
        for j, k in enumerate(members):
            xs[k] = bits * 2 ** (SPREAD * (j - (len(members) - 1) / 2))
    return xs


def draw_configs(ax, configs):
    for (label, _, peak, e2e), x in zip(configs, spread(configs)):
        if peak is not None and e2e is not None:
            ax.plot([x, x], [peak, e2e], color=EDGEVP_COLOUR, linewidth=1.5, zorder=2)
        if peak is not None:
            ax.scatter([x], [peak], s=46, marker='s', color=EDGEVP_COLOUR, zorder=3)
        if e2e is not None:
            ax.scatter([x], [e2e], s=46, marker='s', facecolors='none',
                       edgecolors=EDGEVP_COLOUR, linewidths=1.5, zorder=3)
        # Upright below the lower end (end to end is usually below every published chip), so
        # neighbours at the same bits stay apart.
        bottom = min(v for v in (peak, e2e) if v is not None)
        ax.annotate(label, (x, bottom), xytext=(0, -7), textcoords='offset points', rotation=90,
                    ha='center', va='top', fontsize=7, color=EDGEVP_COLOUR, bbox=LABEL_BOX,
                    zorder=6, parse_math=False)


def set_precision_axis(ax, bits):
    named = dict(PRECISION_TICKS)
    ticks = sorted(set(named) | set(bits))
    ax.set_xticks(ticks, [named.get(b, f'{b:g}b') for b in ticks])
    ax.minorticks_off()
    ax.set_xlim(min(ticks) / 1.35, max(ticks) * 1.35)
    ax.set_xlabel('precision (bits; mixed input/weight precision at the weight bits)')


def set_efficiency_axis(ax, chips, configs):
    """Room below the lowest configuration for its upright label (about 0.04 decade per
    character at this figure's size) and above the highest chip for its label."""
    lows = [c['tops_per_w'] / 10 ** 0.2 for c in chips]
    for label, _, peak, e2e in configs:
        lows.append(min(v for v in (peak, e2e) if v is not None) / 10 ** (0.15 + 0.04 * len(label)))
    highs = [c['tops_per_w'] for c in chips] + [v for c in configs for v in c[2:] if v is not None]
    ax.set_ylim(min(lows), max(highs) * 10 ** 0.25)
    ax.set_ylabel('energy efficiency (TOPS/W)')


def fig7_legend(chips, configs):
    def marker(label, shape, colour, filled, line=False):
        return mpl().lines.Line2D([], [], color=colour if line else 'none', marker=shape,
                                  markerfacecolor=colour if filled else 'none',
                                  markeredgecolor=colour, markersize=7,
                                  linestyle='-' if line else 'none', label=label)
    handles = [marker('published, peak', 'o', CHIP_COLOUR, True),
               marker('published, system (whole network)', 'o', CHIP_COLOUR, False)]
    if any(is_spiking(row) for row in chips):
        handles.append(marker('spiking (TSOP/s/W: synaptic ops, not OPS)', '^', CHIP_COLOUR, True))
    if configs:
        handles += [marker('edgevp, peak', 's', EDGEVP_COLOUR, True),
                    marker('edgevp, end to end', 's', EDGEVP_COLOUR, False),
                    marker('edgevp, peak to end to end', '', EDGEVP_COLOUR, False, line=True)]
    return handles


# ---------------------------------------------------------------------------------------------

def main(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(
        prog='plots.py',
        description="Draw the published chips of the seed's Fig. 7 (efficiency against "
                    'precision). The sweep tool imports this module for its pictures.')
    parser.add_argument('--reference', default=os.path.join(here, 'reference_chips.csv'),
                        help='the published chips (default: reference_chips.csv beside this file)')
    parser.add_argument('-o', '--output', action='append', required=True, metavar='OUT',
                        help='picture to write, .png or .svg (repeat for several)')
    args = parser.parse_args(argv)
    try:
        plot_fig7(load_reference(args.reference), [], args.output)
    except (ValueError, OSError) as e:
        print(f'plots.py: {e}', file=sys.stderr)
        return 2
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
