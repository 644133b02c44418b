# Sourced by scripts/test and .ci/run: where the server's tests find
# PostgreSQL and Redis, and whether they answer there.
#
# The addresses are 127.0.0.1:5432 and 127.0.0.1:6379 unless
# SCRIPTO_TEST_PG_HOST, SCRIPTO_TEST_PG_PORT, SCRIPTO_TEST_REDIS_HOST or
# SCRIPTO_TEST_REDIS_PORT say otherwise (pointing them at unused ports shows
# what both scripts do on a machine without the services).
# shellcheck shell=bash

pg_host=${SCRIPTO_TEST_PG_HOST:-127.0.0.1}
pg_port=${SCRIPTO_TEST_PG_PORT:-5432}
redis_host=${SCRIPTO_TEST_REDIS_HOST:-127.0.0.1}
redis_port=${SCRIPTO_TEST_REDIS_PORT:-6379}

# answers HOST PORT: does something accept a TCP connection there within 2 s?
# shellcheck disable=SC2016 # $1 and $2 are the inner bash's arguments
answers() { timeout 2 bash -c 'exec 3<>"/dev/tcp/$1/$2"' _ "$1" "$2" 2>/dev/null; }

# A PostgreSQL that accepts connections (not merely an open port), and a Redis
# that says PONG; the bare port when their clients are not installed.
postgres_answers() {
    if command -v pg_isready >/dev/null; then
        pg_isready -q -h "$pg_host" -p "$pg_port" -t 2
    else
        answers "$pg_host" "$pg_port"
    fi
}
redis_answers() {
    if command -v redis-cli >/dev/null; then
        [[ "$(timeout 3 redis-cli -h "$redis_host" -p "$redis_port" ping 2>/dev/null)" == PONG ]]
    else
        answers "$redis_host" "$redis_port"
    fi
}

# timed COMMAND...: runs it, then says how long it took (to stderr). Never
# in `if`, `||` or `&&`: bash would then ignore `set -e` inside COMMAND (a
# shell function of several steps), which must stop at its first failure.
timed() {
    # EPOCHREALTIME is seconds with 6 decimals (after a '.' or a ',', by locale).
    local started=${EPOCHREALTIME//[.,]/} took
    "$@"
    took=$(((${EPOCHREALTIME//[.,]/} - started) / 100000))
    echo "    ($* took $((took / 10)).$((took % 10))s)" >&2
}
