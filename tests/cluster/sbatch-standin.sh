#!/usr/bin/env bash
# A stand-in for `sbatch` running a job array on this machine, for the test of the README's array
# script where Slurm cannot run: each task of --array (from the command line, else from the
# script's #SBATCH --array line) runs the script in its own process group, in the background, with
# SLURM_ARRAY_TASK_ID and SLURM_ARRAY_JOB_ID set as Slurm sets them, output to the #SBATCH --output
# pattern (%a: the task id). Only what the array script uses is implemented.
#   sbatch-standin.sh --chdir=DIR [--array=A-B|N] SCRIPT   start the tasks; prints a job id
#   sbatch-standin.sh --running DIR                        exit 0 while a task of DIR runs
#   sbatch-standin.sh --pid-of DIR TASK                    the process (group) id of a running task
set -euo pipefail
case "${1:-}" in
  --running)
    for f in "$2"/.standin/task-*.pid; do [ -f "$f" ] && kill -0 "$(cat "$f")" 2>/dev/null && exit 0; done
    exit 1 ;;
  --pid-of)
    f=$2/.standin/task-$3.pid
    [ -f "$f" ] && kill -0 "$(cat "$f")" 2>/dev/null && cat "$f"
    exit 0 ;;
esac
dir=$PWD array="" script=""
for arg in "$@"; do
  case "$arg" in
    --chdir=*) dir=${arg#--chdir=} ;;
    --array=*) array=${arg#--array=} ;;
    -*) echo "sbatch-standin: unsupported option $arg" >&2; exit 2 ;;
    *) script=$(realpath "$arg") ;;
  esac
done
[ -n "$script" ] || { echo "sbatch-standin: no script" >&2; exit 2; }
[ -n "$array" ] || array=$(sed -n 's/^#SBATCH --array=//p' "$script" | head -n 1)
output=$(sed -n 's/^#SBATCH --output=//p' "$script" | head -n 1)
output=${output:-slurm-%A_%a.out}
first=${array%-*} last=${array#*-}
job=$$
mkdir -p "$dir/.standin"
cd "$dir"
for ((task = first; task <= last; task++)); do
  log=${output//%a/$task}
  log=${log//%A/$job}
  SLURM_ARRAY_JOB_ID=$job SLURM_ARRAY_TASK_ID=$task SLURM_JOB_ID=$job setsid bash "$script" >"$log" 2>&1 </dev/null &
  echo $! >".standin/task-$task.pid"
done
echo "$job"
