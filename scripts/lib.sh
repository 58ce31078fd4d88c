# Shell functions shared by scripts/run and scripts/test; sourced, not run.
# shellcheck shell=bash

PG_BIN=/usr/lib/postgresql/15/bin
VHCV_PACKAGES=(build-essential meson ninja-build pkg-config libpq-dev libyaml-dev
	libcmocka-dev libmicrohttpd-dev libjansson-dev libcurl4-openssl-dev libssl-dev
	postgresql-15 postgresql-client-15 curl python3 clang-14 libclang-rt-14-dev valgrind
	openssl g++ libunistring-dev faketime libargon2-dev gettext libnss-wrapper)

say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Install the Debian packages the project needs, if any is missing.
install_packages() {
	local missing=() p
	for p in "${VHCV_PACKAGES[@]}"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
			missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	[ "$(id -u)" -eq 0 ] || die "missing packages (${missing[*]}): run as root, or install them"
	say "installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q >/dev/null
	apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
	# Debian starts a default cluster on install; we never use it
	pg_ctlcluster 15 main stop >/dev/null 2>&1 || true
}

# Can user $1 enter every folder above and including $2?
can_enter() {
	local user=$1 dir=$2
	runuser -u "$user" -- test -x "$dir" 2>/dev/null
}

# A free TCP port number (the cluster listens only on its socket, but the
# port also names the socket, and a free one avoids any clash).
free_port() {
	local p
	for p in $(seq 54320 54999); do
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
			echo "$p"
			return 0
		fi
	done
	die "no free port in 54320..54999"
}

# pg_create DIR PORT: a new cluster in DIR (owned by postgres), started,
# socket in DIR/run, no TCP, trust inside that private socket folder.
pg_create() {
	local dir=$1 port=$2
	mkdir -p "$dir"
	chown postgres:postgres "$dir"
	# others may enter (to reach the socket in run/), not list; initdb
	# keeps data/ at 0700
	chmod 0711 "$dir"
	runuser -u postgres -- "$PG_BIN/initdb" -D "$dir/data" -U postgres \
		--auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
		{ cat "$dir/initdb.log" >&2; die "initdb failed"; }
	runuser -u postgres -- mkdir -p "$dir/run"
	pg_start "$dir" "$port"
}

pg_start() {
	local dir=$1 port=$2
	runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w \
		-o "-k $dir/run -p $port -c listen_addresses='' -c fsync=${PG_FSYNC:-on}" \
		start >/dev/null || { tail -20 "$dir/postgres.log" >&2; die "postgres did not start"; }
}

pg_stop() {
	local dir=$1
	[ -f "$dir/data/postmaster.pid" ] || return 0
	runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
}

# psql as the superuser on the cluster in DIR at PORT
pg_psql() {
	local dir=$1 port=$2
	shift 2
	"$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$dir/run" -p "$port" -U postgres "$@"
}

# The roles of the register: the schema owner runs migrations, the daemon
# connects as vhcv_app with only the privileges the migrations grant.
pg_roles() {
	pg_psql "$1" "$2" -d postgres <<'SQL'
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'vhcv_owner') THEN
    CREATE ROLE vhcv_owner LOGIN;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'vhcv_app') THEN
    CREATE ROLE vhcv_app LOGIN NOINHERIT;
  END IF;
END $$;
SQL
}
