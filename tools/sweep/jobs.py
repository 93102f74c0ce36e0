"""One sweep job: one edgevp process, its report and its status, in its own directory.

    SWEEP/jobs/ID/job.json      what to run (written when the sweep is expanded)
    SWEEP/jobs/ID/report.json   edgevp's JSON report
    SWEEP/jobs/ID/uart.txt      the firmware's UART output
    SWEEP/jobs/ID/stderr.txt    edgevp's messages
    SWEEP/jobs/ID/status.json   written last, atomically: done, or failed with the reason

A job whose status.json exists has run; a job without one has not (or was killed mid-way: it
runs again). Both backends call run_job, so a job's files do not depend on where it ran.
"""

import json
import os
import subprocess
import time

# edgevp's own exit codes (README: exit codes); anything else below 64 is the firmware's.
EDGEVP_EXIT = {1: 'scenario expectation not met', 64: 'usage error', 65: 'cannot load firmware',
               70: 'internal error', 74: 'output error', 78: 'configuration error',
               122: 'co-verification mismatch', 123: 'deadlock', 124: 'simulated-time limit (--max-time)',
               125: 'firmware fault', 137: 'killed'}


def job_dir(sweep_dir, jid):
    return os.path.join(sweep_dir, 'jobs', jid)


def write_json_atomic(path, data):
    tmp = f"{path}.tmp.{os.getpid()}"
    with open(tmp, 'w') as f:
        json.dump(data, f, indent=1, sort_keys=True)
        f.write('\n')
    os.replace(tmp, path)


def read_json(path):
    with open(path) as f:
        return json.load(f)


def status(sweep_dir, jid):
    """The job's status dict, or None when it has not run."""
    try:
        return read_json(os.path.join(job_dir(sweep_dir, jid), 'status.json'))
    except (OSError, ValueError):
        return None


def command(job, edgevp, d):
    """The edgevp command line of a job (its outputs in directory d)."""
    cmd = [edgevp, '--quiet', '--report', os.path.join(d, 'report.json'),
           '--uart-out', os.path.join(d, 'uart.txt')]
    for c in job['configs']:
        cmd += ['--config', c]
    if job['max_time']:
        cmd.append(f"--max-time={job['max_time']}")
    for k, v in sorted(job['keys'].items()):
        cmd.append(f"--{k}={v}")
    if job['scenario']:
        cmd += ['--scenario', job['scenario'], '--firmware-dir', job['firmware_dir']]
    else:
        cmd.append(job['firmware'])
    return cmd


def _reason(rc, stderr_text):
    last = [ln for ln in stderr_text.splitlines() if ln.strip() and not ln.startswith('Try ')]
    why = EDGEVP_EXIT.get(rc, 'firmware exit code' if 0 < rc < 64 else f"exit code {rc}")
    return f"{why} (exit {rc})" + (f": {last[-1].strip()}" if last else '')


def run_job(sweep_dir, jid, edgevp):
    """Runs one job (whatever its previous state) and writes its status; returns the status."""
    d = job_dir(sweep_dir, jid)
    job = read_json(os.path.join(d, 'job.json'))
    for name in ('status.json', 'report.json', 'uart.txt'):
        try:
            os.remove(os.path.join(d, name))
        except FileNotFoundError:
            pass
    cmd = command(job, edgevp, d)
    t0 = time.monotonic()
    st = {'id': jid}
    with open(os.path.join(d, 'stderr.txt'), 'w') as err:
        try:
            p = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=err, stdin=subprocess.DEVNULL,
                               timeout=job['timeout_s'], check=False)
            rc = p.returncode
        except subprocess.TimeoutExpired:
            rc = None
        except OSError as e:
            rc = None
            err.write(f"sweep: cannot run {cmd[0]}: {e.strerror}\n")
    st['host_s'] = round(time.monotonic() - t0, 3)
    with open(os.path.join(d, 'stderr.txt')) as f:
        stderr_text = f.read()
    if rc is None:
        st.update(state='failed', exit_code=None,
                  reason=(f"host time limit: killed after timeout_s = {job['timeout_s']} s"
                          if 'cannot run' not in stderr_text else stderr_text.strip()))
    elif rc != 0:
        st.update(state='failed', exit_code=rc, reason=_reason(rc, stderr_text))
    elif not os.path.isfile(os.path.join(d, 'report.json')):
        st.update(state='failed', exit_code=rc, reason='edgevp exited 0 but wrote no report')
    else:
        st.update(state='done', exit_code=0, reason='')
    write_json_atomic(os.path.join(d, 'status.json'), st)
    return st


def prepare(sweep_dir, jobs):
    """Writes each job's job.json (unchanged ones are left alone) and the sweep's job list."""
    os.makedirs(os.path.join(sweep_dir, 'jobs'), exist_ok=True)
    for j in jobs:
        d = job_dir(sweep_dir, j['id'])
        os.makedirs(d, exist_ok=True)
        p = os.path.join(d, 'job.json')
        if not os.path.isfile(p):
            write_json_atomic(p, j)
    write_json_atomic(os.path.join(sweep_dir, 'jobs.json'), [j['id'] for j in jobs])
