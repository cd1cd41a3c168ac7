#!/usr/bin/env bash
# README.md shows the Slurm array script verbatim: the fenced block after the line
# "<!-- tests/cluster/prove-array.sbatch -->" must be exactly tests/cluster/prove-array.sbatch,
# the script the cluster tests run.
set -euo pipefail
readme=$1 script=$2
shown=$(awk '/^<!-- tests\/cluster\/prove-array.sbatch -->$/ {found = 1; next}
             found && /^```/ {if (inside) exit; inside = 1; next}
             inside {print}' "$readme")
[ -n "$shown" ] || { echo "README.md has no block after <!-- tests/cluster/prove-array.sbatch -->"; exit 1; }
if ! diff <(printf '%s\n' "$shown") "$script"; then
  echo "README.md's Slurm array differs from $script (diff above: < README, > script)"
  exit 1
fi
echo "README.md shows $script verbatim"
