#!/usr/bin/env bash
# A stand-in for adb / hdc in tests. Every invocation is appended to $FAKE_BRIDGE_DIR/invocations.log
# (its path and arguments separated by \037, invocations by \036). The answer comes from canned files named after the
# arguments that follow "<flag> <serial>", every byte outside [A-Za-z0-9._-] turned into "_":
# answers/<name>.out (stdout), .err (stderr), .exit (exit code, default 0), .sleep (seconds to wait first).
# "file recv <remote> <local>" and "pull <remote> <local>" copy device/<basename of remote> to <local>.
set -u
dir="${FAKE_BRIDGE_DIR:?FAKE_BRIDGE_DIR is not set}"
{ for arg in "$0" "$@"; do printf '%s\037' "$arg"; done; printf '\036'; } >> "$dir/invocations.log"
shift 2
key="$*"
name=$(printf '%s' "$key" | LC_ALL=C tr -c 'A-Za-z0-9._-' '_')
base="$dir/answers/$name"
if [[ $# -ge 4 && "$1 $2" == "file recv" ]]; then
  cp "$dir/device/$(basename "$3")" "$4" 2>/dev/null
elif [[ $# -ge 3 && "$1" == "pull" ]]; then
  cp "$dir/device/$(basename "$2")" "$3" 2>/dev/null
fi
[[ -f "$base.sleep" ]] && sleep "$(cat "$base.sleep")"
[[ -f "$base.out" ]] && cat "$base.out"
[[ -f "$base.err" ]] && cat "$base.err" >&2
if [[ -f "$base.exit" ]]; then exit "$(cat "$base.exit")"; fi
exit 0
