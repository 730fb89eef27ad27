# Shared by the measuring scripts: `source "$(dirname "$0")/lib.sh"`.

# Fails, saying how to get it, when GNU time is not at /usr/bin/time.
need_gnu_time() {
    if [[ ! -x /usr/bin/time ]]; then
        echo "error: GNU time is missing: apt-get install time" >&2
        exit 1
    fi
}

# Sets `work` to $WORK (made, kept) or to a new temporary folder named after
# $1, removed on exit unless KEEP=1.
make_work_dir() {
    if [[ -n ${WORK:-} ]]; then
        work=$WORK
        mkdir -p "$work"
    else
        work=$(mktemp -d "${TMPDIR:-/tmp}/errspec-$1.XXXXXX")
        [[ ${KEEP:-0} == 1 ]] || trap 'rm -rf "$work"' EXIT
    fi
}
