#!/usr/bin/env bash
# install.sh: build scripto and scripto-server in release mode and install
# them, with their man pages and shell completions, under a prefix.
#
#   ./install.sh                      # into ~/.local (no root needed)
#   ./install.sh --prefix /opt/tools  # elsewhere
#   ./install.sh --uninstall          # remove exactly what was installed
#
# Every file it installs is listed in a manifest under the prefix, so that
# --uninstall removes those files and the directories it created, and nothing
# else. Running it again updates the files in place.
set -euo pipefail

usage() {
    cat <<'EOF'
Usage: ./install.sh [--prefix DIR] [--no-build] [--uninstall]

Builds scripto and scripto-server (cargo build --release --locked) and installs:
  PREFIX/bin/scripto, PREFIX/bin/scripto-server
  PREFIX/share/man/man1/*.1                              man pages
  PREFIX/share/bash-completion/completions/scripto       bash completion (and scripto-server)
  PREFIX/share/zsh/site-functions/_scripto               zsh completion (and _scripto-server)
  PREFIX/share/fish/vendor_completions.d/scripto.fish    fish completion (and scripto-server.fish)
and lists them in PREFIX/share/scripto/install-manifest.

Options:
  --prefix DIR   where to install (default: ~/.local)
  --no-build     install the binaries already in target/release, without cargo
  --uninstall    remove what the last install into PREFIX put there
  -h, --help     show this help

Environment:
  CARGO_TARGET_DIR   where cargo builds (default: ./target)
EOF
}

die() {
    echo "install.sh: error: $*" >&2
    exit 1
}

say() {
    echo "install.sh: $*"
}

prefix="${HOME:?HOME is not set; pass --prefix}/.local"
mode=install
build=1
while [[ $# -gt 0 ]]; do
    case "$1" in
        --prefix)
            [[ $# -ge 2 && -n "$2" ]] || die "--prefix needs a directory"
            prefix="$2"
            shift 2
            ;;
        --prefix=*)
            prefix="${1#--prefix=}"
            [[ -n "$prefix" ]] || die "--prefix needs a directory"
            shift
            ;;
        --uninstall)
            mode=uninstall
            shift
            ;;
        --no-build)
            build=0
            shift
            ;;
        -h | --help)
            usage
            exit 0
            ;;
        *)
            usage >&2
            die "unknown argument: $1"
            ;;
    esac
done

# An absolute prefix, so the manifest's paths mean the same from anywhere.
case "$prefix" in
    /*) ;;
    *) prefix="$PWD/$prefix" ;;
esac
prefix="${prefix%/}"

manifest="$prefix/share/scripto/install-manifest"

# --- uninstall -------------------------------------------------------------

uninstall() {
    if [[ ! -f "$manifest" ]]; then
        say "nothing to uninstall: no manifest at $manifest"
        return 0
    fi
    # Files first, then the directories this script created, deepest first,
    # and only when empty: a directory that holds anything else stays.
    local kind path removed=0
    local -a dirs=()
    while IFS=' ' read -r kind path; do
        case "$kind" in
            file)
                if [[ -e "$path" || -L "$path" ]]; then
                    rm -f -- "$path"
                    say "removed $path"
                    removed=$((removed + 1))
                fi
                ;;
            dir) dirs+=("$path") ;;
        esac
    done <"$manifest"
    rm -f -- "$manifest"
    while IFS= read -r path; do
        [[ -n "$path" ]] || continue
        rmdir -- "$path" 2>/dev/null && say "removed $path/" || true
    done < <(printf '%s\n' "${dirs[@]+"${dirs[@]}"}" | awk '{ print length($0) "\t" $0 }' | sort -rn | cut -f2-)
    say "uninstalled $removed files from $prefix"
}

if [[ "$mode" == uninstall ]]; then
    uninstall
    exit 0
fi

# --- build -----------------------------------------------------------------

# The script lives at the root of the repository; build from there whatever
# the caller's working directory.
repo="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)"
[[ -f "$repo/Cargo.toml" && -d "$repo/man" && -d "$repo/completions" ]] ||
    die "run this from a scripto checkout (no Cargo.toml, man/ or completions/ next to $0)"

if [[ $build -eq 1 ]]; then
    if ! command -v cargo >/dev/null 2>&1; then
        die "cargo was not found on PATH. Install the Rust toolchain (rustup: https://rustup.rs,
or your system's rust/cargo package), open a new shell so cargo is on PATH, and run ./install.sh again."
    fi
    say "building scripto and scripto-server (release; the first build takes a few minutes)"
    (cd "$repo" && cargo build --release --locked -p scripto -p scripto-server)
fi

target_dir="${CARGO_TARGET_DIR:-$repo/target}"
case "$target_dir" in
    /*) ;;
    *) target_dir="$repo/$target_dir" ;;
esac
for bin in scripto scripto-server; do
    [[ -x "$target_dir/release/$bin" ]] || die "no $target_dir/release/$bin (build it, or drop --no-build)"
done

# --- install ---------------------------------------------------------------

# Directories created by an earlier run stay recorded, so --uninstall after a
# second install still removes them.
declare -a created_dirs=()
if [[ -f "$manifest" ]]; then
    while IFS=' ' read -r kind path; do
        [[ "$kind" == dir ]] && created_dirs+=("$path")
    done <"$manifest"
fi
declare -a installed_files=()
changed=0

ensure_dir() {
    local dir="$1" missing=() d
    d="$dir"
    while [[ ! -d "$d" ]]; do
        missing+=("$d")
        d="$(dirname -- "$d")"
    done
    [[ ${#missing[@]} -eq 0 ]] && return 0
    mkdir -p -- "$dir"
    created_dirs+=("${missing[@]}")
}

# Copies $1 to $2 with mode $3 through a temporary file and a rename, so a
# running scripto-server's binary is replaced rather than overwritten.
put() {
    local src="$1" dest="$2" mode="$3" tmp
    ensure_dir "$(dirname -- "$dest")"
    installed_files+=("$dest")
    if [[ -f "$dest" ]] && cmp -s -- "$src" "$dest"; then
        chmod "$mode" -- "$dest"
        say "unchanged $dest"
        return 0
    fi
    tmp="$(mktemp -- "$dest.XXXXXX")"
    cp -- "$src" "$tmp"
    chmod "$mode" -- "$tmp"
    mv -f -- "$tmp" "$dest"
    changed=$((changed + 1))
    say "installed $dest"
}

for bin in scripto scripto-server; do
    put "$target_dir/release/$bin" "$prefix/bin/$bin" 0755
done
shopt -s nullglob
pages=("$repo"/man/*.1)
shopt -u nullglob
[[ ${#pages[@]} -gt 0 ]] || die "no man pages in $repo/man (run: cargo xtask gen)"
for page in "${pages[@]}"; do
    put "$page" "$prefix/share/man/man1/$(basename -- "$page")" 0644
done
# bash-completion loads a command's completion from a file named after it.
for bin in scripto scripto-server; do
    put "$repo/completions/$bin.bash" "$prefix/share/bash-completion/completions/$bin" 0644
    put "$repo/completions/_$bin" "$prefix/share/zsh/site-functions/_$bin" 0644
    put "$repo/completions/$bin.fish" "$prefix/share/fish/vendor_completions.d/$bin.fish" 0644
done

# A man page dropped from the repository since the last install is still in
# the old manifest: remove it now so the prefix matches this checkout.
if [[ -f "$manifest" ]]; then
    while IFS=' ' read -r kind path; do
        [[ "$kind" == file && "$path" != "$manifest" ]] || continue
        keep=0
        for f in "${installed_files[@]}"; do [[ "$f" == "$path" ]] && keep=1 && break; done
        if [[ $keep -eq 0 && -e "$path" ]]; then
            rm -f -- "$path"
            say "removed $path (no longer part of scripto)"
        fi
    done <"$manifest"
fi

ensure_dir "$(dirname -- "$manifest")"
{
    for f in "${installed_files[@]}"; do echo "file $f"; done
    # Sorted and de-duplicated so repeated installs give the same manifest.
    printf '%s\n' "${created_dirs[@]+"${created_dirs[@]}"}" | sort -u | sed '/^$/d; s/^/dir /'
} >"$manifest.tmp"
mv -f -- "$manifest.tmp" "$manifest"

say "${#installed_files[@]} files in place under $prefix ($changed new or updated); the list is in $manifest"
say "remove them with: $repo/install.sh --prefix $prefix --uninstall"

# --- hints -----------------------------------------------------------------

case ":$PATH:" in
    *":$prefix/bin:"*) ;;
    *)
        echo
        say "warning: $prefix/bin is not on your PATH. Add it, e.g. to ~/.bashrc or ~/.zshrc:"
        echo "    export PATH=\"$prefix/bin:\$PATH\""
        ;;
esac
# bash-completion looks in ~/.local/share/bash-completion/completions and
# under each of $XDG_DATA_DIRS (default /usr/local/share:/usr/share).
case ":${XDG_DATA_DIRS:-/usr/local/share:/usr/share}:" in
    *":$prefix/share:"*) ;;
    *)
        if [[ "$prefix" != "$HOME/.local" && "${XDG_DATA_HOME:-}" != "$prefix/share" ]]; then
            echo
            say "bash looks for completions elsewhere; to get them, add to ~/.bashrc:"
            echo "    source \"$prefix/share/bash-completion/completions/scripto\""
            echo "    source \"$prefix/share/bash-completion/completions/scripto-server\""
        fi
        ;;
esac
if [[ "${SHELL:-}" == */zsh && "$prefix" != /usr/local && "$prefix" != /usr ]]; then
    echo
    say "zsh only finds the completion if its directory is on fpath; add, before compinit:"
    echo "    fpath=(\"$prefix/share/zsh/site-functions\" \$fpath)"
fi
