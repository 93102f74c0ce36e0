#!/usr/bin/env bash
# slurm-local.sh: a private single-node Slurm cluster on 127.0.0.1 for tests (tools/sweep's Slurm backend).
# Root only; Debian 12 (slurm-wlm 22.05, munge 0.5.15); needs neither systemd nor cgroups (works in containers).
#   install      apt-get install --no-install-recommends slurm-wlm munge; no apt call at all when dpkg has them.
#                Postinst daemon starts are refused by a temporary /usr/sbin/policy-rc.d (an existing one is
#                kept); a munged/slurmctld/slurmd pid that appeared during apt anyway is killed.
#   start DIR    write DIR/slurm.conf and DIR/munge/munge.key (kept across starts), start munged, slurmctld and
#                slurmd, wait for the node to be idle (SLURM_LOCAL_TIMEOUT s, default 60; else print the log
#                tails, stop, exit 1). stdout is only `export SLURM_CONF=DIR/slurm.conf`, so callers do
#                eval "$(scripts/slurm-local.sh start build/slurm)"; messages go to stderr. Already up: prints
#                the export, exit 0. Otherwise runs stop first, so stale pid files/sockets of a crash are fine.
#   stop DIR     scancel all jobs of this cluster, TERM (KILL after 20 s) the daemons of DIR/run/*.pid, then
#                kill leftover job steps (slurmstepd with SLURM_CONF=DIR/slurm.conf in its environment, and
#                their children; left when slurmd crashed). Idempotent.
#   status DIR   exit 0 when the three daemons run and sinfo answers.
# A pid from a pid file is only signalled if it is alive and its command line names DIR.
# Files, all under DIR: slurm.conf; munge/ (key, seed, socket via munged --socket; slurm reaches it by
# AuthInfo=socket=..., the system /run/munge is unused); log/ (emptied on each start); run/ (pid files);
# state/ (slurmctld) and spool/ (slurmd), wiped on start unless SLURM_LOCAL_KEEP_STATE=1 (job ids then go on).
# Cluster: ClusterName=edgevp; node $(hostname -s) at NodeAddr=127.0.0.1 (the name need not resolve);
# CPUs=nproc, RealMemory=80% of RAM; partition edgevp (Default, MaxTime=INFINITE); select/cons_tres CR_CPU;
# proctrack/linuxproc, task/none, accounting_storage/none, jobcomp/none; SlurmUser=root; MinJobAge=600.
# Env: SLURM_LOCAL_CTLD_PORT + SLURM_LOCAL_SLURMD_PORT (default: first free pair from 6817/6818 upwards, so
# several DIRs can run at once), SLURM_LOCAL_CPUS, SLURM_LOCAL_MEM_MB, SLURM_LOCAL_TIMEOUT, SLURM_LOCAL_KEEP_STATE.
# Limits: no accounting (no sacct: use squeue, and scontrol show job for up to MinJobAge after the end); memory
# is not a consumable and nothing confines jobs; --time is enforced about 30-90 s late; the daemons listen on
# all interfaces (munge-authenticated); DIR/munge/munge.socket must be < 100 bytes; jobs may be submitted by
# any local user; logs show harmless "pmix" and missing-state-file errors.
set -euo pipefail

PKGS=(slurm-wlm slurmctld slurmd slurm-client munge)
DAEMONS=(munged slurmctld slurmd)
log() { echo "slurm-local: $*" >&2; }
die() { log "error: $*"; exit 1; }

cmd_install() {
  local missing=() p pid before rc=0 pol=/usr/sbin/policy-rc.d
  for p in "${PKGS[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && { log "all packages present (${PKGS[*]})"; return 0; }
  [ "$(id -u)" -eq 0 ] || die "install needs root"
  log "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  [ -e "$pol" ] || { trap 'rm -f /usr/sbin/policy-rc.d' EXIT; printf '#!/bin/sh\nexit 101\n' >"$pol"; chmod 755 "$pol"; }
  before=$(daemon_pids)
  { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}"; } >&2 || rc=$?
  for pid in $(comm -13 <(echo "$before") <(daemon_pids)); do
    log "killing $(cat "/proc/$pid/comm" 2>/dev/null) pid $pid started by a postinst"; kill "$pid" 2>/dev/null || true
  done
  return $rc
}
daemon_pids() { { pgrep -x munged; pgrep -x slurmctld; pgrep -x slurmd; } | sort || true; }

setup_paths() {
  [ -n "${1:-}" ] || die "usage: $0 start|stop|status DIR"
  [ "$CMD" = start ] && mkdir -p "$1"
  [ -d "$1" ] || { log "$1: no such directory, nothing running"; [ "$CMD" = stop ] && exit 0; exit 1; }
  D=$(cd "$1" && pwd -P); CONF=$D/slurm.conf; SOCK=$D/munge/munge.socket
}
alive() { local st; read -r st 2>/dev/null <"/proc/$1/stat" || return 1; st=${st##*) }; [ "${st:0:1}" != Z ]; }  # zombie=dead
# pid of daemon $1 from its pid file, if alive and its command line names DIR; else nothing
our_pid() {
  local f=$D/run/$1.pid pid
  [ -s "$f" ] || return 0; pid=$(tr -dc 0-9 <"$f")
  [ -n "$pid" ] && alive "$pid" || return 0
  tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline" | grep -qF -- "$D/" && echo "$pid" || true
}

cmd_status() {
  local n up=0 pid
  for n in "${DAEMONS[@]}"; do
    pid=$(our_pid "$n"); if [ -n "$pid" ]; then log "$n running (pid $pid)"; up=$((up+1)); else log "$n not running"; fi
  done
  [ $up -eq 3 ] || return 1
  SLURM_CONF=$CONF timeout 10 sinfo -h -o '%P %D %T' >&2 2>/dev/null || { log "sinfo does not answer"; return 1; }
}

cmd_stop() {
  local i ids=()
  if [ -n "$(our_pid slurmctld)" ]; then
    mapfile -t ids < <(SLURM_CONF=$CONF timeout 10 squeue -h -o %A 2>/dev/null | sort -u || true)
    if [ ${#ids[@]} -gt 0 ]; then
      log "cancelling jobs: ${ids[*]}"; SLURM_CONF=$CONF timeout 10 scancel "${ids[@]}" 2>/dev/null || true
      for i in $(seq 30); do [ -z "$(SLURM_CONF=$CONF timeout 5 squeue -h 2>/dev/null)" ] && break; sleep 0.5; done
    fi
  fi
  term_wait slurmd slurmctld; term_wait munged    # munged last: the slurm daemons may still need it
  kill_orphans
  rm -f "$SOCK" "$SOCK.lock"
}
# job steps left by a slurmd that died (crash): slurmstepd whose environment has our SLURM_CONF, and its tree
kill_orphans() {
  local p j todo=() all=() i
  for p in $(pgrep -x slurmstepd || true); do
    tr '\0' '\n' 2>/dev/null <"/proc/$p/environ" | grep -qxF "SLURM_CONF=$CONF" && todo+=("$p")
  done
  while [ ${#todo[@]} -gt 0 ]; do
    all+=("${todo[@]}"); mapfile -t todo < <(pgrep -P "$(IFS=,; echo "${todo[*]}")" || true)
  done
  [ ${#all[@]} -gt 0 ] || return 0
  log "killing leftover job processes: ${all[*]}"; kill -TERM "${all[@]}" 2>/dev/null || true
  for i in $(seq 20); do p=; for j in "${all[@]}"; do alive "$j" && p=1; done; [ -n "$p" ] || return 0; sleep 0.1; done
  kill -KILL "${all[@]}" 2>/dev/null || true
}
term_wait() {   # TERM our daemons named $@, wait up to 20 s, then KILL; remove their pid files
  local n pid pids=() i
  for n in "$@"; do
    pid=$(our_pid "$n"); [ -n "$pid" ] && { log "stopping $n (pid $pid)"; kill -TERM "$pid" 2>/dev/null || true; pids+=("$pid"); }
  done
  for pid in "${pids[@]}"; do
    for i in $(seq 200); do alive "$pid" || break; sleep 0.1; done
    alive "$pid" && { log "pid $pid did not exit in 20 s, KILL"; kill -KILL "$pid" 2>/dev/null || true; }
  done
  for n in "$@"; do rm -f "$D/run/$n.pid"; done
}

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
tails() { local f; for f in "$D"/log/*; do echo "==> $f <==" >&2; tail -n 25 "$f" >&2 || true; done; }
fail_start() { log "error: $*"; tails; cmd_stop || true; exit 1; }

cmd_start() {
  [ "$(id -u)" -eq 0 ] || die "start needs root (SlurmUser=root)"
  command -v slurmctld >/dev/null && command -v munged >/dev/null || die "slurm/munge missing: run $0 install"
  [ ${#SOCK} -lt 100 ] || die "DIR path too long for the munge socket: $SOCK"
  if cmd_status 2>/dev/null; then log "already up"; echo "export SLURM_CONF=$CONF"; return 0; fi
  cmd_stop                                     # stale pid files, half-started or crashed daemons
  local t0 node cpus mem lim cport sport n i st; t0=$(date +%s%N)
  rm -rf "$D/log"                              # logs are per start
  [ "${SLURM_LOCAL_KEEP_STATE:-0}" = 1 ] || rm -rf "$D/state" "$D/spool"
  mkdir -p "$D/log" "$D/run" "$D/state" "$D/spool" "$D/munge"
  chmod 755 "$D/munge"                         # socket reachable by non-root job users
  [ -s "$D/munge/munge.key" ] || (umask 077; head -c 1024 /dev/urandom >"$D/munge/munge.key")
  chmod 400 "$D/munge/munge.key"
  node=$(hostname -s)
  cpus=${SLURM_LOCAL_CPUS:-$(nproc)}
  mem=$(awk '/^MemTotal:/{print int($2/1024)}' /proc/meminfo)
  lim=$(cat /sys/fs/cgroup/memory.max /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null | head -n1 || true)
  [[ "$lim" =~ ^[0-9]+$ ]] && [ $((lim/1048576)) -lt "$mem" ] && mem=$((lim/1048576))
  mem=${SLURM_LOCAL_MEM_MB:-$((mem*8/10))}
  cport=${SLURM_LOCAL_CTLD_PORT:-}; sport=${SLURM_LOCAL_SLURMD_PORT:-}
  if [ -z "$cport" ] || [ -z "$sport" ]; then
    for ((i=6817; i<6917; i+=2)); do port_free $i && port_free $((i+1)) && { cport=$i; sport=$((i+1)); break; }; done
    [ -n "$cport" ] || die "no free port pair in 6817..6916"
  elif ! port_free "$cport" || ! port_free "$sport"; then die "port $cport or $sport is taken"; fi
  cat >"$CONF" <<EOF
# written by scripts/slurm-local.sh start; rewritten on every start
ClusterName=edgevp
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=$cport
SlurmdPort=$sport
SlurmUser=root
AuthType=auth/munge
AuthInfo=socket=$SOCK
StateSaveLocation=$D/state
SlurmdSpoolDir=$D/spool
SlurmctldPidFile=$D/run/slurmctld.pid
SlurmdPidFile=$D/run/slurmd.pid
SlurmctldLogFile=$D/log/slurmctld.log
SlurmdLogFile=$D/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
MpiDefault=none
MailProg=/bin/true
ReturnToService=2
SlurmdParameters=config_overrides
MinJobAge=600
MaxArraySize=10001
KillWait=5
NodeName=$node NodeHostname=$node NodeAddr=127.0.0.1 CPUs=$cpus Sockets=1 CoresPerSocket=$cpus ThreadsPerCore=1 RealMemory=$mem State=UNKNOWN
PartitionName=edgevp Nodes=$node Default=YES MaxTime=INFINITE State=UP
EOF
  log "DIR=$D node=$node cpus=$cpus mem=${mem}MB ports=$cport/$sport"
  export SLURM_CONF=$CONF
  munged --socket="$SOCK" --key-file="$D/munge/munge.key" --pid-file="$D/run/munged.pid" \
    --seed-file="$D/munge/munged.seed" --log-file="$D/log/munged.log" --force </dev/null >>"$D/log/daemons.out" 2>&1 \
    || fail_start "munged failed"
  for i in $(seq 50); do [ -S "$SOCK" ] && break; sleep 0.1; done
  [ -S "$SOCK" ] || fail_start "munged socket $SOCK did not appear"
  slurmctld -f "$CONF" </dev/null >>"$D/log/daemons.out" 2>&1 || fail_start "slurmctld failed"
  slurmd -f "$CONF" -N "$node" </dev/null >>"$D/log/daemons.out" 2>&1 || fail_start "slurmd failed"
  while :; do
    st=$(timeout 5 sinfo -h -n "$node" -o %T 2>/dev/null || true)
    [ "$st" = idle ] && break
    for n in munged slurmctld slurmd; do   # pid file written but process gone: it died
      [ -s "$D/run/$n.pid" ] && [ -z "$(our_pid $n)" ] && fail_start "$n exited"; done
    [ $(( ($(date +%s%N)-t0)/1000000000 )) -lt "${SLURM_LOCAL_TIMEOUT:-60}" ] || fail_start "node not idle after ${SLURM_LOCAL_TIMEOUT:-60} s (state: ${st:-none})"
    sleep 0.2
  done
  log "up in $(( ($(date +%s%N)-t0)/1000000 )) ms"
  echo "export SLURM_CONF=$CONF"
}

CMD=${1:-}
case "$CMD" in
  install) cmd_install ;;
  start) setup_paths "${2:-}"; cmd_start ;;
  stop) setup_paths "${2:-}"; cmd_stop ;;
  status) setup_paths "${2:-}"; cmd_status ;;
  *) echo "usage: $0 install | start DIR | stop DIR | status DIR" >&2; exit 2 ;;
esac
