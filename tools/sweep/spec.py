"""A sweep specification: what to run, over which axes, what to collect, what to prefer.

The file is TOML (Python's tomllib). Every path in it is relative to the file. A mistake (an
unknown table or key, a value of the wrong type, an empty axis) raises SpecError naming the file
and the key: a sweep that would run hundreds of jobs must not start on a typo.

    [sweep]
    name = "adc"                          # the results' name (default: the file's stem)
    firmware = "fmnist_cnn_analog_20"     # or scenario = "../../scenarios/x.cfg"
    configs = ["base.cfg"]                # edgevp --config files, in order
    set = { "cim1.cols" = 256 }           # keys every job gets
    combine = "product"                   # or "zip": the axes' i-th values together
    repetitions = 1                       # each point this many times ...
    seed_key = "cim1.seed"                # ... with seed 1, 2, ... in this key
    timeout_s = 600                       # host seconds per job, then it is killed (failed)
    max_time = "1s"                       # edgevp --max-time (simulated)

    [[axis]]
    key = "cim1.adc_bits"                 # any configuration key, or firmware / scenario,
    values = [4, 6, 8]                    # or meta.NAME (a column only: not given to edgevp)
    # range = [start, stop, step]         # stop included when the steps reach it
    # logrange = [start, stop, count]     # count values evenly spaced in log

    [metrics]
    region = "infer"                      # per-inference figures: this region's totals / count
    accuracy = 'accuracy (\\d+)/(\\d+)'   # a regex on the UART output: group 1 / group 2
    ops_per_inference = 1000000           # operations (2 per MAC) for TOPS/W end to end

    [[constraint]]
    metric = "accuracy"
    min = 0.85                            # and/or max = ...
    [select]
    minimise = "energy_per_inference_j"   # the best job under the constraints
    pareto = ["latency_s", "energy_per_inference_j"]
"""

import hashlib
import itertools
import json
import math
import os
import tomllib


class SpecError(Exception):
    """A specification that cannot be run; the message names the file and the key."""


SWEEP_KEYS = {'name', 'firmware', 'scenario', 'configs', 'set', 'combine', 'repetitions', 'seed_key',
              'timeout_s', 'max_time', 'firmware_dir'}
AXIS_KEYS = {'key', 'values', 'range', 'logrange'}
METRIC_KEYS = {'region', 'accuracy', 'ops_per_inference'}
CONSTRAINT_KEYS = {'metric', 'min', 'max'}
SELECT_KEYS = {'minimise', 'maximise', 'pareto'}
TOP_KEYS = {'sweep', 'axis', 'metrics', 'constraint', 'select'}
SPECIAL_AXES = {'firmware', 'scenario'}


def _fail(path, where, problem):
    raise SpecError(f"{path}: {where}: {problem}")


def _check_keys(path, where, table, allowed):
    if not isinstance(table, dict):
        _fail(path, where, 'expected a table')
    for k in table:
        if k not in allowed:
            _fail(path, where, f"unknown key '{k}' (expected one of: {', '.join(sorted(allowed))})")


def _scalar(path, where, v):
    if isinstance(v, bool) or not isinstance(v, (int, float, str)):
        _fail(path, where, f"{v!r} is not a number or a string")
    if isinstance(v, float) and not math.isfinite(v):
        _fail(path, where, f"{v!r} is not finite")
    return v


def _number(path, where, v):
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
        _fail(path, where, f"{v!r} is not a finite number")
    return v


def _clean(x):
    """Floats from ranges printed without binary noise: 0.30000000000000004 -> 0.3."""
    return float(f"{x:.12g}") if isinstance(x, float) else x


def axis_values(path, where, axis):
    """The values of one [[axis]]: exactly one of values, range, logrange."""
    given = [k for k in ('values', 'range', 'logrange') if k in axis]
    if len(given) != 1:
        _fail(path, where, 'give exactly one of values, range, logrange')
    kind = given[0]
    spec = axis[kind]
    if kind == 'values':
        if not isinstance(spec, list) or not spec:
            _fail(path, f"{where}.values", 'expected a non-empty list')
        return [_scalar(path, f"{where}.values[{i}]", v) for i, v in enumerate(spec)]
    if not isinstance(spec, list) or len(spec) != 3:
        _fail(path, f"{where}.{kind}", 'expected [start, stop, step]' if kind == 'range'
              else 'expected [start, stop, count]')
    a, b, c = (_number(path, f"{where}.{kind}[{i}]", v) for i, v in enumerate(spec))
    if kind == 'range':
        if c <= 0 or b < a:
            _fail(path, f"{where}.range", 'needs start <= stop and a positive step')
        n = int(math.floor((b - a) / c + 1e-9)) + 1
        if n > 100000:
            _fail(path, f"{where}.range", f"{n} values: more than 100000")
        ints = all(isinstance(v, int) for v in (a, b, c))
        return [a + i * c if ints else _clean(a + i * c) for i in range(n)]
    if a <= 0 or b <= 0 or not isinstance(c, int) or c < 2 or c > 100000:
        _fail(path, f"{where}.logrange", 'needs positive start and stop and an integer count 2..100000')
    la, lb = math.log(a), math.log(b)
    return [_clean(math.exp(la + (lb - la) * i / (c - 1))) for i in range(c)]


def _rel(base, p):
    return p if os.path.isabs(p) else os.path.normpath(os.path.join(base, p))


def _file_digest(p):
    h = hashlib.sha256()
    try:
        with open(p, 'rb') as f:
            for chunk in iter(lambda: f.read(1 << 20), b''):
                h.update(chunk)
    except OSError:
        return 'missing'
    return h.hexdigest()


def load(path):
    """Reads and checks a specification; returns a dict with absolute paths and expanded axes."""
    try:
        with open(path, 'rb') as f:
            raw = tomllib.load(f)
    except OSError as e:
        raise SpecError(f"{path}: cannot read: {e.strerror}") from None
    except tomllib.TOMLDecodeError as e:
        raise SpecError(f"{path}: not valid TOML: {e}") from None
    _check_keys(path, 'top level', raw, TOP_KEYS)
    base = os.path.dirname(os.path.abspath(path))
    sw = raw.get('sweep', {})
    _check_keys(path, '[sweep]', sw, SWEEP_KEYS)
    spec = {'path': os.path.abspath(path), 'name': sw.get('name', os.path.splitext(os.path.basename(path))[0])}
    if not isinstance(spec['name'], str) or not spec['name']:
        _fail(path, 'sweep.name', 'expected a non-empty string')
    for k in ('firmware', 'scenario'):
        v = sw.get(k)
        if v is not None and not isinstance(v, str):
            _fail(path, f"sweep.{k}", 'expected a string')
    spec['firmware'] = sw.get('firmware')
    spec['scenario'] = _rel(base, sw['scenario']) if 'scenario' in sw else None
    spec['firmware_dir'] = _rel(base, sw['firmware_dir']) if 'firmware_dir' in sw else None
    configs = sw.get('configs', [])
    if not isinstance(configs, list) or not all(isinstance(c, str) for c in configs):
        _fail(path, 'sweep.configs', 'expected a list of file names')
    spec['configs'] = [_rel(base, c) for c in configs]
    for c in spec['configs']:
        if not os.path.isfile(c):
            _fail(path, 'sweep.configs', f"'{c}' is not a readable file")
    fixed = sw.get('set', {})
    if not isinstance(fixed, dict):
        _fail(path, 'sweep.set', 'expected a table of key = value')
    spec['set'] = {k: _scalar(path, f"sweep.set.{k}", v) for k, v in fixed.items()}
    spec['combine'] = sw.get('combine', 'product')
    if spec['combine'] not in ('product', 'zip'):
        _fail(path, 'sweep.combine', f"'{spec['combine']}' is not product or zip")
    reps = sw.get('repetitions', 1)
    if isinstance(reps, bool) or not isinstance(reps, int) or not 1 <= reps <= 1000:
        _fail(path, 'sweep.repetitions', 'expected an integer 1..1000')
    spec['repetitions'] = reps
    spec['seed_key'] = sw.get('seed_key')
    if reps > 1 and not spec['seed_key']:
        _fail(path, 'sweep.seed_key', 'repetitions > 1 need the key that takes each repetition\'s seed')
    timeout = sw.get('timeout_s', 600)
    _number(path, 'sweep.timeout_s', timeout)
    if timeout <= 0:
        _fail(path, 'sweep.timeout_s', 'must be positive')
    spec['timeout_s'] = timeout
    spec['max_time'] = sw.get('max_time')
    if spec['max_time'] is not None and not isinstance(spec['max_time'], str):
        _fail(path, 'sweep.max_time', 'expected a time with a unit, as a string ("1s")')

    axes = raw.get('axis', [])
    if not isinstance(axes, list):
        _fail(path, 'axis', 'expected [[axis]] tables')
    spec['axes'] = []
    seen = set()
    for i, a in enumerate(axes):
        where = f"axis[{i}]"
        _check_keys(path, where, a, AXIS_KEYS)
        key = a.get('key')
        if not isinstance(key, str) or not key:
            _fail(path, f"{where}.key", 'expected a configuration key')
        if key in seen:
            _fail(path, f"{where}.key", f"'{key}' is swept twice")
        seen.add(key)
        vals = axis_values(path, where, a)
        if key == 'scenario':
            vals = [_rel(base, v) if isinstance(v, str) else _fail(path, where, 'scenarios are paths') for v in vals]
        spec['axes'].append({'key': key, 'values': vals})
    if spec['combine'] == 'zip' and len({len(a['values']) for a in spec['axes']}) > 1:
        _fail(path, 'axis', 'combine = "zip" needs axes of equal length: ' +
              ', '.join(f"{a['key']} has {len(a['values'])}" for a in spec['axes']))
    if not spec['firmware'] and not spec['scenario'] and not seen & SPECIAL_AXES:
        _fail(path, '[sweep]', 'give firmware or scenario (or sweep one of them as an axis)')

    m = raw.get('metrics', {})
    _check_keys(path, '[metrics]', m, METRIC_KEYS)
    spec['metrics'] = {'region': m.get('region'), 'accuracy': m.get('accuracy'),
                       'ops_per_inference': m.get('ops_per_inference')}
    if spec['metrics']['ops_per_inference'] is not None:
        _number(path, 'metrics.ops_per_inference', spec['metrics']['ops_per_inference'])
    if spec['metrics']['accuracy'] is not None:
        import re
        try:
            rx = re.compile(spec['metrics']['accuracy'])
        except re.error as e:
            _fail(path, 'metrics.accuracy', f"not a regular expression: {e}")
        if rx.groups != 2:
            _fail(path, 'metrics.accuracy', 'needs two groups: correct and total')

    cons = raw.get('constraint', [])
    spec['constraints'] = []
    for i, c in enumerate(cons if isinstance(cons, list) else [None]):
        where = f"constraint[{i}]"
        _check_keys(path, where, c, CONSTRAINT_KEYS)
        if not isinstance(c.get('metric'), str) or ('min' not in c and 'max' not in c):
            _fail(path, where, 'needs metric and min and/or max')
        spec['constraints'].append({'metric': c['metric'],
                                    'min': _number(path, f"{where}.min", c['min']) if 'min' in c else None,
                                    'max': _number(path, f"{where}.max", c['max']) if 'max' in c else None})
    sel = raw.get('select', {})
    _check_keys(path, '[select]', sel, SELECT_KEYS)
    if 'minimise' in sel and 'maximise' in sel:
        _fail(path, '[select]', 'give minimise or maximise, not both')
    spec['select'] = {'minimise': sel.get('minimise'), 'maximise': sel.get('maximise'),
                      'pareto': sel.get('pareto', ['latency_s', 'energy_per_inference_j'])}
    if not (isinstance(spec['select']['pareto'], list) and len(spec['select']['pareto']) == 2):
        _fail(path, 'select.pareto', 'expected two metric names')
    return spec


def points(spec):
    """The axis points, each a dict key -> value, in a stable order."""
    axes = spec['axes']
    if not axes:
        return [{}]
    if spec['combine'] == 'zip':
        combos = zip(*(a['values'] for a in axes))
    else:
        combos = itertools.product(*(a['values'] for a in axes))
    return [dict(zip((a['key'] for a in axes), c)) for c in combos]


def _value_text(v):
    if isinstance(v, float):
        return repr(v)
    return str(v)


def expand(spec, firmware_dir):
    """Jobs: one per point and repetition, each with an id derived from what determines its result
    (the configuration files' contents, the keys, the firmware image's contents), so a rerun finds
    the jobs already done and a changed axis adds only its new points."""
    jobs = []
    config_digests = [(c, _file_digest(c)) for c in spec['configs']]
    for point in points(spec):
        for rep in range(spec['repetitions']):
            keys = dict(spec['set'])
            meta = {}
            firmware, scenario = spec['firmware'], spec['scenario']
            for k, v in point.items():
                if k == 'firmware':
                    firmware, scenario = v, None
                elif k == 'scenario':
                    scenario, firmware = v, None
                elif k.startswith('meta.'):
                    meta[k[5:]] = v
                else:
                    keys[k] = v
            if spec['seed_key'] and spec['repetitions'] > 1:
                keys[spec['seed_key']] = rep + 1
            fw_path = None
            if firmware:
                fw_path = firmware if firmware.endswith('.elf') and os.path.isabs(firmware) \
                    else os.path.join(firmware_dir, firmware if firmware.endswith('.elf') else firmware + '.elf')
            identity = {
                'configs': [d for _, d in config_digests],
                'keys': {k: _value_text(v) for k, v in sorted(keys.items())},
                'firmware': _file_digest(fw_path) if fw_path else None,
                'scenario': _file_digest(scenario) if scenario else None,
                'max_time': spec['max_time'],
            }
            jid = hashlib.sha256(json.dumps(identity, sort_keys=True).encode()).hexdigest()[:16]
            jobs.append({'id': jid, 'point': {k: point[k] for k in point}, 'repetition': rep + 1,
                         'keys': {k: _value_text(v) for k, v in keys.items()}, 'meta': meta,
                         'configs': spec['configs'], 'firmware': fw_path, 'scenario': scenario,
                         'firmware_dir': firmware_dir, 'max_time': spec['max_time'],
                         'timeout_s': spec['timeout_s']})
    ids = [j['id'] for j in jobs]
    if len(set(ids)) != len(ids):
        dup = next(i for i in ids if ids.count(i) > 1)
        raise SpecError(f"{spec['path']}: two jobs are the same run (id {dup}): an axis repeats a value, "
                        "or repetitions without seed_key")
    return jobs
