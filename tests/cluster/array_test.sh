#!/usr/bin/env bash
# The README's Slurm array (tests/cluster/prove-array.sbatch) end to end:
#   array_test.sh slurm   CERTBOUND   on a single-node Slurm started here (munged, slurmctld -D and
#                                     slurmd -D as child processes, every file in a temporary
#                                     folder, no systemd, no cgroups)
#   array_test.sh standin CERTBOUND   through tests/cluster/sbatch-standin.sh, which runs each task
#                                     with SLURM_ARRAY_TASK_ID set as Slurm would
# A third argument SCALE runs a copy of the script with `--scale SCALE` instead of its own: the
# sanitizer build passes a coarser one (0.255: the same submissions, cancellation, resumption and
# merge over about a quarter of the boxes; under ASan the script's own scale took 9 minutes).
# Either way: submit the 4 shards, cancel one shard's job while it runs (SIGTERM: the prover saves
# its checkpoint and exits), submit that task again (it resumes), merge, and require a certificate
# with the same status, tree and leaves as the unsharded run (status proved). Every daemon started
# is stopped on exit, also on failure. Exit 77 (ctest: skipped) with "skipped: <reason>" when the
# Slurm daemons cannot run on this host.
set -euo pipefail
mode=$1
certbound=$(realpath "$2")
here=$(cd "$(dirname "$0")" && pwd)
script=$here/prove-array.sbatch
scale=${3:-}
work=$(mktemp -d "${TMPDIR:-/tmp}/certbound-cluster-$mode.XXXXXX")
pids=()
cleanup() {
  local status=$?
  if [ "$mode" = slurm ] && [ -n "${SLURM_CONF:-}" ]; then scancel --quiet --user="$(id -un)" --name=certbound-prove 2>/dev/null || true; fi
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  if [ "$status" -ne 0 ] && [ "$status" -ne 77 ]; then
    echo "--- failed; logs in $work:"
    for f in "$work"/*.log "$work"/jobs/*.log; do [ -f "$f" ] && { echo "== $f"; tail -n 20 "$f"; }; done
  else
    rm -rf "$work"
  fi
  exit "$status"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
skip() { echo "skipped: $*"; exit 77; }
mkdir -p "$work/jobs"
if [ -n "$scale" ]; then
  sed "s/--scale [0-9.]*/--scale $scale/" "$here/prove-array.sbatch" >"$work/prove-array.sbatch"
  grep -q -- "--scale $scale " "$work/prove-array.sbatch" || fail "the script has no --scale to replace"
  script=$work/prove-array.sbatch
fi
export CERTBOUND=$certbound

# ---- a single-node Slurm, or the stand-in ------------------------------------------------------
if [ "$mode" = slurm ]; then
  for tool in munged slurmctld slurmd sbatch squeue scancel; do
    command -v "$tool" >/dev/null || PATH=$PATH:/usr/sbin command -v "$tool" >/dev/null ||
      skip "$tool is not installed (./setup.sh --cluster installs slurm-wlm and munge)"
  done
  export PATH=$PATH:/usr/sbin
  [ "$(id -u)" -eq 0 ] || skip "the Slurm daemons run as root here (SlurmdUser=root) and this user is $(id -un)"
  node=$(hostname -s)
  # Ports of our own, so that two runs of the test on one machine do not meet.
  port=$((20000 + ($$ % 5000) * 2))
  mkdir -p "$work/munge" "$work/state" "$work/spool"
  chmod 700 "$work/munge"
  dd if=/dev/urandom of="$work/munge/munge.key" bs=1024 count=1 status=none
  chmod 400 "$work/munge/munge.key"
  munged --force --foreground --key-file="$work/munge/munge.key" --socket="$work/munge/socket" \
    --pid-file="$work/munge/munged.pid" --seed-file="$work/munge/seed" --log-file="$work/munged.log" \
    >"$work/munged.out" 2>&1 &
  pids+=($!)
  for _ in $(seq 50); do [ -S "$work/munge/socket" ] && break; sleep 0.1; done
  [ -S "$work/munge/socket" ] || skip "munged did not start: $(tail -n 1 "$work/munged.out" "$work/munged.log" 2>/dev/null | tr '\n' ' ')"
  memory=$(awk '/MemTotal/ {print int($2 / 1024 / 2)}' /proc/meminfo)
  cat >"$work/slurm.conf" <<CONF
ClusterName=certbound-test
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=$port
SlurmdPort=$((port + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$work/munge/socket
CredType=cred/munge
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/slurmctld.log
SlurmdLogFile=$work/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
MpiDefault=none
SwitchType=switch/none
ReturnToService=2
KillWait=10
NodeName=$node NodeAddr=127.0.0.1 CPUs=$(nproc) RealMemory=$memory State=UNKNOWN
PartitionName=test Nodes=$node Default=YES MaxTime=INFINITE State=UP
CONF
  # slurmd 22.05 loads a cgroup plugin even when no cgroup is used (proctrack/linuxproc,
  # task/none, no constraints): the one this host mounts, outside systemd.
  if [ -f /sys/fs/cgroup/cgroup.controllers ]; then cgroup=cgroup/v2; else cgroup=cgroup/v1; fi
  printf 'CgroupPlugin=%s\nCgroupMountpoint=/sys/fs/cgroup\nIgnoreSystemd=yes\nConstrainCores=no\nConstrainRAMSpace=no\nConstrainDevices=no\n' \
    "$cgroup" >"$work/cgroup.conf"
  export SLURM_CONF=$work/slurm.conf
  slurmctld -D -i -f "$SLURM_CONF" >"$work/slurmctld.out" 2>&1 &
  pids+=($!)
  slurmd -D -f "$SLURM_CONF" -N "$node" >"$work/slurmd.out" 2>&1 &
  pids+=($!)
  up=""
  for _ in $(seq 100); do
    for pid in "${pids[@]}"; do
      kill -0 "$pid" 2>/dev/null ||
        skip "a Slurm daemon exited: $(tail -n 2 "$work/slurmctld.out" "$work/slurmd.out" 2>/dev/null | tr '\n' ' ')"
    done
    if sinfo -h -N -o '%T' 2>/dev/null | grep -qE '^(idle|mixed|allocated)'; then up=1; break; fi
    sleep 0.2
  done
  [ -n "$up" ] || skip "the node did not become idle within 20 s: $(sinfo -h -N -o '%T %E' 2>&1 | head -n 1); $(tail -n 1 "$work/slurmd.log" 2>/dev/null)"
  submit() { sbatch --parsable --chdir="$work/jobs" "$@" "$script"; }
  running() { squeue -h -j "$1" -t RUNNING -o '%i' 2>/dev/null | grep -q .; }
  unfinished() { squeue -h -n certbound-prove -o '%i' 2>/dev/null | grep -q .; }
  cancel() { scancel "$1"; }
else
  submit() { "$here/sbatch-standin.sh" --chdir="$work/jobs" "$@" "$script"; }
  running() { kill -0 "$1" 2>/dev/null; }
  unfinished() { "$here/sbatch-standin.sh" --running "$work/jobs"; }
  cancel() { kill -TERM -- "-$1"; }  # the task's process group, as Slurm signals every process of a job
fi

# ---- the unsharded run, for comparison ----------------------------------------------------------
run_args=$(grep -o 'prove [a-z_.]* [^\\]*' "$script" | sed 's/ --shard.*//')
# shellcheck disable=SC2086
(cd "$work" && "$certbound" $run_args --certificate whole.cert --quiet >whole.out) || fail "the unsharded run: $(cat "$work/whole.out")"
grep -q '"status":"proved"' "$work/whole.cert" || fail "the unsharded run did not prove: $(cat "$work/whole.out")"

# ---- the array, one shard cancelled and resubmitted ---------------------------------------------
start=$SECONDS
job=$(submit)
echo "submitted the array: job $job"
# Task 2's job, once its checkpoint holds a save beyond the header (it is running and has work).
task2=""
for _ in $(seq 600); do
  if [ "$mode" = slurm ]; then task2=$(squeue -h -j "${job}_2" -t RUNNING -o '%i' 2>/dev/null | head -n 1 || true)
  else task2=$("$here/sbatch-standin.sh" --pid-of "$work/jobs" 2); fi
  [ -n "$task2" ] && [ -f "$work/jobs/ckpt-2.cpt" ] && [ "$(stat -c %s "$work/jobs/ckpt-2.cpt")" -gt 1000 ] && break
  sleep 0.1
done
[ -n "$task2" ] || fail "task 2 never ran"
cancelled=0
if running "$task2"; then
  cancel "$task2"
  cancelled=1
  echo "cancelled task 2 ($task2) with $(stat -c %s "$work/jobs/ckpt-2.cpt") bytes of checkpoint"
  for _ in $(seq 300); do running "$task2" || break; sleep 0.1; done
  ! running "$task2" || fail "task 2 did not stop after its cancellation"
else
  echo "task 2 finished before it could be cancelled"
fi
for _ in $(seq 1200); do unfinished || break; sleep 0.1; done
! unfinished || fail "the array did not finish within 2 min"
if ((cancelled)); then
  # The cancelled shard stopped with its checkpoint: its certificate (if any) is not the finished one.
  # On a loaded machine the task may complete between the check that it runs and the cancellation
  # (scancel of a finishing job): then it has its finished certificate and nothing is resubmitted.
  if [ -f "$work/jobs/shard-2.cert" ] && grep -q '"status":"partial"' "$work/jobs/shard-2.cert"; then
    echo "task 2 completed before the cancellation reached it"
    cancelled=0
  fi
fi
if ((cancelled)); then
  submit --array=2 >/dev/null
  for _ in $(seq 1200); do unfinished || break; sleep 0.1; done
  ! unfinished || fail "the resubmitted task did not finish within 2 min"
fi
seconds=$((SECONDS - start))

for i in 1 2 3 4; do
  grep -q '"status":"partial"' "$work/jobs/shard-$i.cert" 2>/dev/null ||
    fail "shard $i did not finish: $(tail -n 3 "$work/jobs/shard-$i.log" 2>/dev/null | tr '\n' ' ')"
done
(cd "$work/jobs" && "$certbound" merge shard-1.cert shard-2.cert shard-3.cert shard-4.cert --certificate merged.cert) ||
  fail "merge refused the shards"
# Identical in content: every field but the unverified provenance, which is the last key of the
# one-line JSON (keys are sorted).
content() { sed 's/,"unverified":.*$//' "$1"; }
same=same
cmp -s <(content "$work/jobs/merged.cert") <(content "$work/whole.cert") || same="the tree, leaves, status or claim"
[ "$same" = same ] || fail "the merged certificate differs from the unsharded one in: $same"
"$certbound" verify-certificate "$work/jobs/merged.cert" >/dev/null || fail "the merged certificate does not verify"
echo "ok ($mode): 4 shards$( ((cancelled)) && echo ", task 2 cancelled and resubmitted"), merged certificate identical to the unsharded one (proved) in ${seconds} s"
