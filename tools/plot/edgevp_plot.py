#!/usr/bin/python3
"""Draw an edgevp run: power per domain over time, and energy per component and per region.

Reads the report (--report) and, optionally, the power CSV (--power-csv) of one run and writes a
PNG and/or SVG picture. Usage, content and exit codes: tools/plot/README.md.
"""

import argparse
import csv
import json
import math
import os
import sys

EXIT_ERROR = 2            # bad command line, unreadable or malformed input, unwritable output
EXIT_NO_MATPLOTLIB = 3

FORMATS = ('png', 'svg')

# Domain states as the power CSV spells them; "on" is the normal case and is left unshaded.
STATES = ('off', 'retention', 'clock_gated', 'on')
STATE_COLOURS = {'off': '#555555', 'retention': '#5b8bd6', 'clock_gated': '#e9b44c'}

# Beyond these counts a panel turns into a thicket of lines or bars; see choose_marked_regions
# and top_bars for what is shown instead.
MAX_MARKED_REGIONS = 40
MAX_LABELLED_REGIONS = 12
MAX_BARS = 12

REGION_COLOUR = '#2ca02c'


class PlotError(Exception):
    """A problem the user can fix (input, output, command line): reported without a traceback."""


# ---------------------------------------------------------------------------------------------
# Reading the report

def field(value, path, kind, source):
    """Follow path (keys and list indices) into value and check the type of what is found there."""
    for step in path:
        missing = (not isinstance(value, dict) or step not in value) if isinstance(step, str) \
            else (not isinstance(value, list) or step >= len(value))
        if missing:
            raise PlotError(f"report '{source}': missing '{dotted(path)}'")
        value = value[step]
    # bool is an int in Python, but true/false is never a valid energy or time.
    wrong_number = kind is float and (isinstance(value, bool) or not isinstance(value, (int, float))
                                      or not math.isfinite(value))
    if wrong_number or (kind is not float and not isinstance(value, kind)):
        expected = {float: 'a number', str: 'a string', list: 'a list', dict: 'an object'}[kind]
        raise PlotError(f"report '{source}': '{dotted(path)}' is not {expected}")
    return value


def dotted(path):
    """power.components[3].name, for error messages."""
    text = ''
    for step in path:
        text += f'[{step}]' if isinstance(step, int) else ('.' if text else '') + step
    return text


def load_report(path):
    """The parts of the report the picture needs, checked; raises PlotError."""
    try:
        with open(path, encoding='utf-8') as f:
            report = json.load(f)
    except OSError as e:
        raise PlotError(f"cannot read report '{path}': {e.strerror}") from None
    except (ValueError, UnicodeDecodeError) as e:   # JSONDecodeError is a ValueError
        raise PlotError(f"report '{path}' is not JSON: {e}") from None
    if not isinstance(report, dict):
        raise PlotError(f"report '{path}' is not a JSON object")

    components = [
        (field(report, ('power', 'components', i, 'name'), str, path),
         field(report, ('power', 'components', i, 'energy_j'), float, path))
        for i in range(len(field(report, ('power', 'components'), list, path)))]
    regions = [
        {key: field(report, ('regions', i, key), kind, path)
         for key, kind in (('name', str), ('depth', float), ('start_s', float), ('end_s', float),
                           ('energy_j', float))}
        for i in range(len(field(report, ('regions',), list, path)))]
    return {
        'firmware': field(report, ('firmware',), str, path),
        'simulated_time_s': field(report, ('simulated_time_s',), float, path),
        'total_energy_j': field(report, ('power', 'total_energy_j'), float, path),
        'average_power_w': field(report, ('power', 'average_power_w'), float, path),
        'components': components,
        'regions': regions,
    }


# ---------------------------------------------------------------------------------------------
# Reading the power CSV

def load_power_csv(path):
    """Columns of the power CSV (docs/power.md) as lists; raises PlotError."""
    try:
        with open(path, encoding='utf-8', newline='') as f:
            reader = csv.reader(f)
            header = next(reader, None)
            # Numbered as lines of the file for messages; blank lines (a hand edit) are skipped.
            rows = [(line, row) for line, row in enumerate(reader, start=2) if row]
    except OSError as e:
        raise PlotError(f"cannot read power CSV '{path}': {e.strerror}") from None
    except (csv.Error, UnicodeDecodeError) as e:
        raise PlotError(f"power CSV '{path}' is not CSV: {e}") from None

    if not header or 'time_s' not in header:
        raise PlotError(f"power CSV '{path}' has no time_s column")
    domains = [c[:-2] for c in header if c.endswith('_W') and c != 'total_W']
    if not domains:
        raise PlotError(f"power CSV '{path}' has no <domain>_W column")
    if not rows:
        raise PlotError(f"power CSV '{path}' has no rows")

    columns = {name: [] for name in header}
    for line, row in rows:
        if len(row) != len(header):
            raise PlotError(f"power CSV '{path}' line {line}: {len(row)} fields, "
                            f"the header has {len(header)}")
        for name, text in zip(header, row):
            columns[name].append(parse_cell(name, text, path, line))
        if len(columns['time_s']) > 1 and columns['time_s'][-1] < columns['time_s'][-2]:
            raise PlotError(f"power CSV '{path}' line {line}: time_s goes backwards")
    return {
        'time_s': columns['time_s'],
        'domains': domains,
        'watts': {d: columns[d + '_W'] for d in domains},
        'total': columns.get('total_W'),
        'states': {d: columns[d + '_state'] for d in domains if d + '_state' in columns},
    }


def parse_cell(column, text, path, line):
    """A number for time_s and *_W columns, a known state name for *_state columns."""
    if column.endswith('_state'):
        if text not in STATES:
            raise PlotError(f"power CSV '{path}' line {line}: {column} '{text}' is not one of "
                            f"{', '.join(STATES)}")
        return text
    try:
        value = float(text)
    except ValueError:
        raise PlotError(f"power CSV '{path}' line {line}: {column} '{text}' is not a number") \
            from None
    if not math.isfinite(value):
        raise PlotError(f"power CSV '{path}' line {line}: {column} '{text}' is not finite")
    return value


def interval_edges(times, run_end):
    """Start and end of each CSV row: a row is the average over [its time, the next row's time);
    the last one lasts one interval, cut at the end of the run."""
    step = times[-1] - times[-2] if len(times) > 1 else run_end - times[0]
    end = times[-1] + step
    if times[-1] < run_end < end:
        end = run_end
    if end <= times[-1]:            # a run ending on its only sample: give the row some width
        end = times[-1] + 1e-6
    return times + [end]


# ---------------------------------------------------------------------------------------------
# Units

def si_prefix(value, unit):
    """Scale and label so that the value reads between 1 and 1000 (nJ, uJ, mW, ...)."""
    magnitude = abs(value)
    for scale, prefix in ((1.0, ''), (1e-3, 'm'), (1e-6, 'u'), (1e-9, 'n'), (1e-12, 'p')):
        if magnitude >= scale:
            return scale, prefix + unit
    return 1e-15, 'f' + unit


def si_text(value, unit):
    scale, label = si_prefix(value, unit)
    return f'{value / scale:.4g} {label}'


def time_unit(span_s):
    """Scale and axis unit for a time span, so that the ticks read as plain numbers."""
    for scale, label in ((1.0, 's'), (1e-3, 'ms'), (1e-6, 'us')):
        if span_s >= scale:
            return scale, label
    return 1e-9, 'ns'


# ---------------------------------------------------------------------------------------------
# Panels

def choose_marked_regions(regions):
    """The regions to mark on the time axis and a note when some are left out: hundreds of
    nested or repeated regions would cover the trace, so keep the outermost ones, then the first
    MAX_MARKED_REGIONS."""
    marked = regions
    if len(marked) > MAX_MARKED_REGIONS:
        marked = [r for r in marked if r['depth'] == 0]
    marked = sorted(marked, key=lambda r: r['start_s'])[:MAX_MARKED_REGIONS]
    note = None if len(marked) == len(regions) else \
        f'{len(marked)} of {len(regions)} regions marked'
    return marked, note


def mark_regions(axes, regions, note, scale):
    """Shade each region on every time axis and name it at the top of the first one."""
    # A line at each start too: a millisecond region in a long run is thinner than a pixel.
    for ax in axes:
        for r in regions:
            ax.axvspan(r['start_s'] / scale, r['end_s'] / scale, color=REGION_COLOUR, alpha=0.12,
                       linewidth=0, zorder=0)
            ax.axvline(r['start_s'] / scale, color=REGION_COLOUR, alpha=0.5, linewidth=0.8,
                       zorder=0)
    # Past a dozen labels they overlap; then each name is written once, at its first region.
    named = set()
    for r in regions:
        if len(regions) > MAX_LABELLED_REGIONS and r['name'] in named:
            continue
        named.add(r['name'])
        axes[0].text(r['start_s'] / scale, 0.98, ' ' + r['name'], rotation=90, va='top', ha='left',
                     transform=axes[0].get_xaxis_transform(), fontsize=7, color='#1b6b1b')
    if note:
        axes[0].text(0.99, 0.02, note, transform=axes[0].transAxes, ha='right', va='bottom',
                     fontsize=7, color='#1b6b1b')


def draw_power(ax, trace, edges, scale):
    """One step line per domain (and the total); the average power of each CSV row."""
    x = [t / scale for t in edges]
    positive = [w for d in trace['domains'] for w in trace['watts'][d] if w > 0]
    # Powers span micro- to milliwatts, so a log axis; zero (an off domain) has no place on it and
    # is left as a gap, which the state panel below explains.
    log = bool(positive)
    for i, domain in enumerate(trace['domains']):
        y = [w if w > 0 or not log else math.nan for w in trace['watts'][domain]]
        ax.stairs(y, x, baseline=None, color=f'C{i % 10}', linewidth=1.2, label=domain)
    if trace['total'] is not None:
        y = [w if w > 0 or not log else math.nan for w in trace['total']]
        ax.stairs(y, x, baseline=None, color='black', linestyle='--', linewidth=1.0,
                  label='total')
    if log:
        ax.set_yscale('log')
    ax.set_xlim(x[0], x[-1])
    ax.set_ylabel('power (W)')
    ax.set_title('power per domain', fontsize=10, loc='left')
    ax.legend(loc='upper right', fontsize=7, ncol=2, framealpha=0.9)
    ax.grid(True, which='major', alpha=0.3)
    ax.tick_params(labelbottom=False)


def state_runs(states, edges):
    """(state, start, end) for each stretch of rows with the same state."""
    runs = []
    for i, state in enumerate(states):
        if runs and runs[-1][0] == state:
            runs[-1][2] = edges[i + 1]
        else:
            runs.append([state, edges[i], edges[i + 1]])
    return runs


def draw_states(ax, trace, edges, scale, unit):
    """One band per domain, shaded where the domain is not on."""
    domains = [d for d in trace['domains'] if d in trace['states']]
    seen = set()
    for row, domain in enumerate(domains):
        for state, start, end in state_runs(trace['states'][domain], edges):
            if state != 'on':
                ax.broken_barh([(start / scale, (end - start) / scale)], (row - 0.4, 0.8),
                               color=STATE_COLOURS[state], linewidth=0)
                seen.add(state)
    ax.set_yticks(range(len(domains)), domains, fontsize=8)
    ax.set_ylim(len(domains) - 0.5, -0.5)
    ax.set_xlabel(f'time ({unit})')
    ax.set_title('domain state (unshaded: on)', fontsize=10, loc='left')
    from matplotlib.patches import Patch    # matplotlib is imported by now (import_pyplot)
    handles = [Patch(color=STATE_COLOURS[s], label=s.replace('_', '-'))
               for s in STATES if s in seen]
    if handles:
        ax.legend(handles=handles, loc='upper right', fontsize=7, ncol=len(handles), framealpha=0.9)


def top_bars(items):
    """The MAX_BARS largest (label, joules), the rest folded into one 'other' bar."""
    items = sorted(items, key=lambda item: (-item[1], item[0]))
    if len(items) <= MAX_BARS:
        return items
    rest = items[MAX_BARS - 1:]
    return items[:MAX_BARS - 1] + [(f'other ({len(rest)})', sum(j for _, j in rest))]


def draw_bars(ax, items, title, empty_text, extra=None):
    """Horizontal energy bars, largest on top, with the unit chosen by the largest; extra, a
    (label, joules) for context, goes last in grey."""
    ax.set_title(title, fontsize=10, loc='left')
    if not items:
        ax.text(0.5, 0.5, empty_text, transform=ax.transAxes, ha='center', va='center')
        ax.set_axis_off()
        return
    colours = ['#4c72b0'] * len(items)
    if extra is not None:
        items = items + [extra]
        colours.append('#aaaaaa')
    scale, unit = si_prefix(max(j for _, j in items) or 1.0, 'J')
    labels = [label for label, _ in items]
    values = [j / scale for _, j in items]
    bars = ax.barh(range(len(items)), values, color=colours)
    ax.bar_label(bars, [f'{v:.3g}' for v in values], padding=2, fontsize=7)
    ax.set_yticks(range(len(items)), labels, fontsize=8)
    # At least a few rows' worth of height, so that one or two bars do not fill the panel.
    ax.set_ylim(max(len(items), 5) - 0.5, -0.5)
    ax.set_xlabel(f'energy ({unit})')
    ax.margins(x=0.15)     # room for the value labels
    ax.grid(True, axis='x', alpha=0.3)


def region_totals(regions):
    """Energy per region name, summed over its occurrences, labelled with the count."""
    totals = {}
    for r in regions:
        joules, count = totals.get(r['name'], (0.0, 0))
        totals[r['name']] = (joules + r['energy_j'], count + 1)
    return [(name if count == 1 else f'{name} (x{count})', joules)
            for name, (joules, count) in totals.items()]


def outside_regions(report):
    """Energy spent outside every region (e.g. deep sleep between duty cycles): the total less
    the outermost regions, which do not overlap."""
    inside = sum(r['energy_j'] for r in report['regions'] if r['depth'] == 0)
    return ('(outside regions)', max(report['total_energy_j'] - inside, 0.0))


def title_text(report):
    return (f"{os.path.basename(report['firmware'])}: {si_text(report['total_energy_j'], 'J')} "
            f"in {si_text(report['simulated_time_s'], 's')}, "
            f"average power {si_text(report['average_power_w'], 'W')}")


def build_figure(plt, report, trace):
    """The whole picture: power and state panels over time (with a trace), then the bars."""
    if trace is None:
        fig = plt.figure(figsize=(11, 4.2), layout='constrained')
        grid = fig.add_gridspec(1, 2)
        bar_row = 0
    else:
        n_states = sum(1 for d in trace['domains'] if d in trace['states'])
        fig = plt.figure(figsize=(11, 10), layout='constrained')
        grid = fig.add_gridspec(3, 2, height_ratios=[3.2, 0.6 + 0.22 * n_states, 2.6])
        bar_row = 2
        edges = interval_edges(trace['time_s'], report['simulated_time_s'])
        scale, unit = time_unit(edges[-1] - edges[0])
        power_ax = fig.add_subplot(grid[0, :])
        states_ax = fig.add_subplot(grid[1, :], sharex=power_ax)
        draw_power(power_ax, trace, edges, scale)
        draw_states(states_ax, trace, edges, scale, unit)
        marked, note = choose_marked_regions(report['regions'])
        mark_regions([power_ax, states_ax], marked, note, scale)
    draw_bars(fig.add_subplot(grid[bar_row, 0]), top_bars(report['components']),
              'energy per component', 'no components')
    draw_bars(fig.add_subplot(grid[bar_row, 1]), top_bars(region_totals(report['regions'])),
              'energy per region', 'no firmware regions', outside_regions(report))
    fig.suptitle(title_text(report), fontsize=11)
    return fig


# ---------------------------------------------------------------------------------------------
# Command line and output

def output_paths(out, formats, parser):
    """(path, format) pairs: OUT's own suffix, or OUT's stem with each of --format's."""
    stem, suffix = os.path.splitext(out)
    if formats is None:
        if suffix.lower().lstrip('.') not in FORMATS:
            parser.error(f"'{out}' must end in .png or .svg (or give --format png,svg)")
        return [(out, suffix.lower().lstrip('.'))]
    wanted = [f.strip().lower() for f in formats.split(',') if f.strip()]
    unknown = [f for f in wanted if f not in FORMATS]
    if unknown or not wanted:
        parser.error(f"--format '{formats}': give png, svg or png,svg")
    if suffix.lower().lstrip('.') not in FORMATS:
        stem = out          # OUT without a picture suffix is the stem itself
    return [(f'{stem}.{fmt}', fmt) for fmt in dict.fromkeys(wanted)]


def import_pyplot():
    """matplotlib.pyplot on the headless Agg backend, set up for byte-identical output."""
    try:
        import matplotlib
        matplotlib.use('Agg')
        import matplotlib.pyplot as plt
    except ImportError as e:
        print(f'edgevp_plot: python3-matplotlib is not installed: apt-get install '
              f'python3-matplotlib ({e})', file=sys.stderr)
        sys.exit(EXIT_NO_MATPLOTLIB)
    # Without a salt the SVG's element ids are random; text as <text> keeps the SVG small and
    # its words searchable (tests/plot reads the axis labels back).
    matplotlib.rcParams['svg.hashsalt'] = 'edgevp'
    matplotlib.rcParams['svg.fonttype'] = 'none'
    return plt


# The date and the matplotlib version would make the same run give different files.
METADATA = {'png': {'Software': None}, 'svg': {'Date': None, 'Creator': None}}


def write_pictures(plt, report, trace, outputs):
    """A fresh figure per file: the constrained layout is worked out for the first renderer that
    draws a figure, so a PNG drawn first would shift the SVG's coordinates, and the same SVG must
    come out whether or not a PNG is written with it."""
    for path, fmt in outputs:
        fig = build_figure(plt, report, trace)
        try:
            fig.savefig(path, format=fmt, dpi=110, metadata=METADATA[fmt])
        except OSError as e:
            raise PlotError(f"cannot write '{path}': {e.strerror}") from None
        plt.close(fig)


def main(argv):
    parser = argparse.ArgumentParser(
        prog='edgevp_plot.py',
        description='Draw the power and energy of an edgevp run (tools/plot/README.md).')
    parser.add_argument('--report', required=True, help='the run\'s --report JSON')
    parser.add_argument('--power-csv', help='the run\'s --power-csv (adds power over time)')
    parser.add_argument('-o', '--output', required=True, metavar='OUT',
                        help='picture to write, ending in .png or .svg')
    parser.add_argument('--format', metavar='png,svg',
                        help='write these formats, named OUT\'s stem + .png / .svg')
    args = parser.parse_args(argv)
    outputs = output_paths(args.output, args.format, parser)

    plt = import_pyplot()
    try:
        report = load_report(args.report)
        trace = load_power_csv(args.power_csv) if args.power_csv else None
        write_pictures(plt, report, trace, outputs)
    except PlotError as e:
        print(f'edgevp_plot: {e}', file=sys.stderr)
        return EXIT_ERROR
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
