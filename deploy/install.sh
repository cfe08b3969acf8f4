#!/usr/bin/env bash
# Uni-Manager bare-metal installer and upgrader for Debian 12.
#
#   sudo deploy/install.sh [--public-url https://vms.example.org] [options]
#
# Run it from a checkout of the repository. It is safe to run again: a second
# run upgrades the code in place and changes nothing else that exists.
#
# What it does, in order:
#   1. checks: root, systemd, Debian, the source tree, Node.js >= 20.19
#   2. installs PostgreSQL and Redis from Debian, unless --external-services
#   3. creates the system user "uni-manager" and its directories
#   4. writes /etc/uni-manager/env from deploy/env.production.example with a
#      generated JWT_SECRET (and database password), ONLY if it does not exist
#   5. builds a new release in /opt/uni-manager.new as the unprivileged user
#      (npm ci, tsc, next build, dev dependencies pruned), then swaps it in;
#      the release it replaces is kept as /opt/uni-manager.previous
#   6. installs the systemd units and /usr/local/bin/uni-manager
#   7. runs `uni-manager migrate`
#   8. restarts the services that were running; on a first install it starts
#      nothing until you have created an administrator (it tells you how)
#
# Options:
#   --public-url URL      address users will type (only used when the env
#                         file is created; default https://<this host's FQDN>)
#   --external-services   PostgreSQL and Redis run elsewhere: install neither,
#                         and set DATABASE_URL / REDIS_URL in the env yourself
#   --with-caddy          also install Caddy from Debian and point it at
#                         deploy/Caddyfile (takes Caddy over for this site)
#   --start               start the services even on a first install
#   --source DIR          the checkout to install (default: this script's repo)
#   -h, --help            this text
set -euo pipefail

APP_USER=uni-manager
PREFIX=${UM_PREFIX:-/opt/uni-manager}
CONF_DIR=${UM_CONF_DIR:-/etc/uni-manager}
ENV_FILE=$CONF_DIR/env
STATE_DIR=/var/lib/uni-manager
# npm's download cache for builds: kept between upgrades to save bandwidth.
BUILD_CACHE=/var/cache/uni-manager-build
UNIT_DIR=/etc/systemd/system
CLI=/usr/local/bin/uni-manager
UNITS=(uni-manager-api.service uni-manager-worker.service uni-manager-web.service)
NODE_MIN=20.19

SOURCE=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PUBLIC_URL_ARG=
EXTERNAL_SERVICES=0
WITH_CADDY=0
FORCE_START=0

# --- output ------------------------------------------------------------------

# Colours only on a terminal, so a logged run stays readable.
if [[ -t 2 ]]; then C_INFO=$'\033[1;36m' C_WARN=$'\033[1;33m' C_ERR=$'\033[1;31m' C_OFF=$'\033[0m'; else C_INFO='' C_WARN='' C_ERR='' C_OFF=''; fi
say() { printf '%s>%s %s\n' "$C_INFO" "$C_OFF" "$*"; }
warn() { printf '%s!%s %s\n' "$C_WARN" "$C_OFF" "$*" >&2; }
die() {
	printf '%sx%s %s\n' "$C_ERR" "$C_OFF" "$*" >&2
	exit 1
}
usage() { sed -n '2,/^set -euo pipefail/{/^set /d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"; }

# --- small helpers -------------------------------------------------------------

pkg_installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

APT_UPDATED=0
apt_install() {
	local missing=() p
	for p in "$@"; do pkg_installed "$p" || missing+=("$p"); done
	((${#missing[@]})) || return 0
	if ((!APT_UPDATED)); then
		apt-get update -qq
		APT_UPDATED=1
	fi
	say "Installing from Debian: ${missing[*]}"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# A secret made of hex digits: safe in URLs and in any env-file syntax.
random_hex() { "$NODE_BIN" -e 'process.stdout.write(require("crypto").randomBytes(+process.argv[1]).toString("hex"))' "$1"; }

# Sets KEY=VALUE in an env file: replaces the first line that sets or
# comments out KEY, or appends one. Values go through the environment, not
# awk -v, so backslashes and other characters arrive untouched.
set_env_var() {
	local file=$1 key=$2 value=$3 tmp
	tmp=$(mktemp "$file.XXXXXX")
	K=$key V=$value awk '
		BEGIN { k = ENVIRON["K"]; v = ENVIRON["V"] }
		!done && ($0 ~ "^#?" k "=") { print k "=" v; done = 1; next }
		{ print }
		END { if (!done) print k "=" v }
	' "$file" >"$tmp"
	cat "$tmp" >"$file"
	rm -f "$tmp"
}

# Value of KEY in an env file (last assignment wins, quotes stripped).
get_env_var() {
	sed -n "s/^$2=//p" "$1" 2>/dev/null | tail -n 1 | sed -e 's/^"\(.*\)"$/\1/' -e "s/^'\(.*\)'$/\1/"
}

# Runs a command as the service account with a clean environment: nothing
# from root's shell leaks into a build.
as_app() {
	runuser -u "$APP_USER" -- env -i \
		PATH="$(dirname "$NODE_BIN"):$(dirname "$NPM_BIN"):/usr/local/bin:/usr/bin:/bin" \
		HOME="$BUILD_CACHE" LANG=C.UTF-8 \
		npm_config_cache="$BUILD_CACHE/npm" npm_config_update_notifier=false \
		NEXT_TELEMETRY_DISABLED=1 "$@"
}

# Printed if the script stops with an error; each phase sets its own.
FAIL_HINT=
on_exit() {
	local rc=$?
	if ((rc != 0)) && [[ -n $FAIL_HINT ]]; then warn "$FAIL_HINT"; fi
}

# --- steps ------------------------------------------------------------------------

parse_args() {
	while (($#)); do
		case $1 in
		--public-url)
			[[ $# -ge 2 ]] || die "--public-url needs a value"
			PUBLIC_URL_ARG=$2
			shift
			;;
		--public-url=*) PUBLIC_URL_ARG=${1#*=} ;;
		--external-services) EXTERNAL_SERVICES=1 ;;
		--with-caddy) WITH_CADDY=1 ;;
		--start) FORCE_START=1 ;;
		--source)
			[[ $# -ge 2 ]] || die "--source needs a value"
			SOURCE=$(cd "$2" && pwd)
			shift
			;;
		--source=*) SOURCE=$(cd "${1#*=}" && pwd) ;;
		-h | --help)
			usage
			exit 0
			;;
		*) die "unknown option: $1 (see --help)" ;;
		esac
		shift
	done
	if [[ -n $PUBLIC_URL_ARG && ! $PUBLIC_URL_ARG =~ ^https?://[A-Za-z0-9.-]+(:[0-9]+)?/?$ ]]; then
		die "--public-url must look like https://vms.example.org (got: $PUBLIC_URL_ARG)"
	fi
	PUBLIC_URL_ARG=${PUBLIC_URL_ARG%/}
}

check_system() {
	[[ $EUID -eq 0 ]] || die "run this as root (sudo $0)"
	[[ -d /run/systemd/system ]] || die "systemd is not running here; this installer needs it"
	command -v apt-get >/dev/null || die "apt-get not found: this installer is for Debian"
	local id="" version=""
	if [[ -r /etc/os-release ]]; then
		# shellcheck disable=SC1091
		id=$(. /etc/os-release && echo "${ID:-}") version=$(. /etc/os-release && echo "${VERSION_ID:-}")
	fi
	if [[ $id != debian || $version != 12 ]]; then
		warn "written for Debian 12; this is ${id:-unknown} ${version:-?}. Continuing."
	fi
	[[ -f $SOURCE/package.json && -d $SOURCE/apps/api && -f $SOURCE/deploy/env.production.example ]] ||
		die "$SOURCE is not a Uni-Manager checkout (use --source DIR)"
	case $SOURCE/ in
	"$PREFIX"/* | "$PREFIX".new/*) die "run the installer from a checkout, not from $PREFIX itself" ;;
	esac
}

node_version_ok() {
	"$1" -e '
		const [a, b] = process.versions.node.split(".").map(Number);
		const [ma, mb] = process.argv[1].split(".").map(Number);
		process.exit(a > ma || (a === ma && b >= mb) ? 0 : 1);
	' "$NODE_MIN" 2>/dev/null
}

# Node.js 20.19 or newer. Debian 12's own nodejs is 18.x, too old; Debian 13
# and NodeSource's repository have a recent one. This installs from apt when
# apt offers a new enough version, and otherwise stops with instructions
# rather than fetching binaries from the internet behind your back.
ensure_node() {
	NODE_BIN=$(command -v node || true)
	if [[ -z $NODE_BIN ]] || ! node_version_ok "$NODE_BIN"; then
		local candidate
		candidate=$(apt-cache policy nodejs 2>/dev/null | awk '/Candidate:/ { print $2 }')
		if [[ -n $candidate && $candidate != "(none)" ]] && dpkg --compare-versions "$candidate" ge "$NODE_MIN"; then
			apt_install nodejs
			NODE_BIN=$(command -v node || true)
		fi
	fi
	if [[ -z $NODE_BIN ]] || ! node_version_ok "$NODE_BIN"; then
		die "Node.js >= $NODE_MIN is required (found: ${NODE_BIN:+$("$NODE_BIN" --version)}${NODE_BIN:-none}).
  Debian 12 ships Node.js 18. Install a current one system-wide, then run this again:
    - NodeSource's Debian repository (nodejs 20.x or 22.x package), or
    - the official Linux tarball from nodejs.org unpacked into /usr/local.
  It must live outside /home and /root: the services cannot read those."
	fi
	NODE_BIN=$(readlink -f "$NODE_BIN")
	case $NODE_BIN in
	/home/* | /root/* | /tmp/*) die "node is at $NODE_BIN; the services (ProtectHome, PrivateTmp) cannot run it from there. Install it system-wide." ;;
	esac
	NPM_BIN=$(command -v npm || true)
	if [[ -z $NPM_BIN ]]; then
		# Debian's own nodejs package leaves npm out; NodeSource's includes it.
		apt_install npm
		NPM_BIN=$(command -v npm || true)
	fi
	[[ -n $NPM_BIN ]] || die "npm not found next to node ($NODE_BIN)"
	say "Node.js $("$NODE_BIN" --version) at $NODE_BIN"
}

ensure_services() {
	((EXTERNAL_SERVICES)) && return 0
	# Debian 12: PostgreSQL 15 and Redis 7, both listening on localhost only.
	apt_install postgresql redis-server
	systemctl enable --now postgresql.service redis-server.service >/dev/null
	local tries=30
	while ((tries--)); do
		(cd / && runuser -u postgres -- pg_isready -q) && return 0
		sleep 1
	done
	die "PostgreSQL did not become ready (journalctl -u postgresql)"
}

ensure_user() {
	if ! getent passwd "$APP_USER" >/dev/null; then
		say "Creating system user $APP_USER"
		useradd --system --user-group --home-dir "$STATE_DIR" --no-create-home \
			--shell /usr/sbin/nologin --comment "Uni-Manager" "$APP_USER"
	fi
	# Settings: root writes them, the service account only reads them.
	install -d -m 0750 -o root -g "$APP_USER" "$CONF_DIR"
	install -d -m 0750 -o "$APP_USER" -g "$APP_USER" "$STATE_DIR"
	install -d -m 0750 -o "$APP_USER" -g "$APP_USER" "$BUILD_CACHE"
}

# Creates (or, when the env file is new but the role exists, re-keys) the
# uni_manager role and database, and prints the URL to reach them.
provision_database() {
	local password=$1 exists
	psql_admin() { (cd / && runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 "$@"); }
	exists=$(psql_admin -tAc "select 1 from pg_roles where rolname = 'uni_manager'")
	if [[ $exists == 1 ]]; then
		warn "PostgreSQL role uni_manager exists but $ENV_FILE did not: giving it a new password"
		psql_admin -v pw="$password" <<<"ALTER ROLE uni_manager WITH LOGIN PASSWORD :'pw';" >/dev/null
	else
		psql_admin -v pw="$password" <<<"CREATE ROLE uni_manager WITH LOGIN PASSWORD :'pw';" >/dev/null
	fi
	exists=$(psql_admin -tAc "select 1 from pg_database where datname = 'uni_manager'")
	[[ $exists == 1 ]] || (cd / && runuser -u postgres -- createdb --owner=uni_manager uni_manager)
}

# The env file is written once and never touched again: it holds the
# secrets, and an admin's edits must survive every upgrade.
ensure_env_file() {
	if [[ -e $ENV_FILE ]]; then
		say "Keeping existing $ENV_FILE"
		return 0
	fi
	say "Writing $ENV_FILE (new secrets generated)"
	local public_url=$PUBLIC_URL_ARG tmp
	# Left-overs of an interrupted earlier run hold secrets: remove them.
	rm -f "$CONF_DIR"/.env.??????
	if [[ -z $public_url ]]; then
		public_url="https://$(hostname --fqdn 2>/dev/null || hostname)"
		warn "PUBLIC_URL set to $public_url; change it in $ENV_FILE if users reach the site by another name"
	fi
	[[ $public_url == https://* ]] ||
		warn "PUBLIC_URL is not https: the API's session cookie is Secure, so browsers will not keep sessions"
	tmp=$(mktemp "$CONF_DIR/.env.XXXXXX")
	chmod 0640 "$tmp"
	chown "root:$APP_USER" "$tmp"
	cp "$SOURCE/deploy/env.production.example" "$tmp"
	set_env_var "$tmp" JWT_SECRET "$(random_hex 32)"
	set_env_var "$tmp" ENCRYPTION_KEY "$(random_hex 32)"
	set_env_var "$tmp" PUBLIC_URL "$public_url"
	if ((!EXTERNAL_SERVICES)); then
		local db_password
		db_password=$(random_hex 24)
		provision_database "$db_password"
		set_env_var "$tmp" DATABASE_URL "postgres://uni_manager:$db_password@127.0.0.1:5432/uni_manager"
		set_env_var "$tmp" REDIS_URL "redis://127.0.0.1:6379/0"
	fi
	mv "$tmp" "$ENV_FILE"
}

# Builds the new release beside the running one, so the site stays up during
# the build and a failed build changes nothing. The build runs as the service
# account (dependency install scripts never run as root); the finished tree is
# then handed to root, so the running services cannot modify their own code.
build_release() {
	local stage=$PREFIX.new api_port
	rm -rf "$stage"
	install -d -m 0755 -o "$APP_USER" -g "$APP_USER" "$stage"
	say "Copying $SOURCE to $stage"
	# Local build output, dependencies and data never travel: they are
	# rebuilt for this machine.
	tar -C "$SOURCE" -cf - \
		--exclude=./.git --exclude=node_modules --exclude=.next --exclude=dist \
		--exclude='*.tsbuildinfo' --exclude=./data --exclude=coverage \
		--exclude=./.env --exclude='./.env.*' --exclude='./deploy/.env' \
		--exclude=./e2e/artifacts --exclude=./e2e/screenshots . |
		tar -C "$stage" --no-same-owner -xf -
	chown -R "$APP_USER:$APP_USER" "$stage"

	# Next.js writes the /api rewrite into its build: point it at the API's
	# port on this host.
	api_port=$(get_env_var "$ENV_FILE" PORT)
	api_port=${api_port:-8000}

	say "Installing dependencies (npm ci)"
	(cd "$stage" && as_app "$NPM_BIN" ci --no-audit --no-fund --loglevel=error)
	say "Compiling the API"
	(cd "$stage" && as_app "$NODE_BIN" node_modules/typescript/bin/tsc -b packages/contracts apps/api)
	say "Building the web front end (a minute or two)"
	(cd "$stage/apps/web" && as_app API_INTERNAL_URL="http://127.0.0.1:$api_port" \
		"$NODE_BIN" ../../node_modules/next/dist/bin/next build)
	say "Removing build-only dependencies"
	(cd "$stage" && as_app "$NPM_BIN" prune --omit=dev --no-audit --no-fund --loglevel=error)

	chown -R root:root "$stage"
	chmod -R u+rwX,go+rX,go-w "$stage"
	# The web's only writable place: its runtime cache (see the web unit).
	rm -rf "$stage/apps/web/.next/cache"
	install -d -m 0750 -o "$APP_USER" -g "$APP_USER" "$stage/apps/web/.next/cache"
}

RUNNING=()
stop_running_services() {
	local unit
	RUNNING=()
	for unit in "${UNITS[@]}"; do
		systemctl is-active --quiet "$unit" && RUNNING+=("$unit")
	done
	if ((${#RUNNING[@]})); then
		say "Stopping ${RUNNING[*]}"
		systemctl stop "${RUNNING[@]}"
	fi
}

swap_release() {
	say "Switching $PREFIX to the new release"
	rm -rf "$PREFIX.previous"
	[[ -d $PREFIX ]] && mv "$PREFIX" "$PREFIX.previous"
	mv "$PREFIX.new" "$PREFIX"
}

install_units() {
	local unit first=0
	[[ -e $UNIT_DIR/uni-manager-api.service ]] || first=1
	for unit in "${UNITS[@]}" uni-manager.target; do
		# The units name /usr/bin/node; use the node this host really has.
		sed "s#/usr/bin/node#$NODE_BIN#g" "$PREFIX/deploy/systemd/$unit" >"$UNIT_DIR/$unit.tmp"
		chmod 0644 "$UNIT_DIR/$unit.tmp"
		mv "$UNIT_DIR/$unit.tmp" "$UNIT_DIR/$unit"
	done
	sed "s#^NODE_BIN=.*#NODE_BIN=\${UM_NODE:-$NODE_BIN}#" "$PREFIX/deploy/uni-manager-cli.sh" >"$CLI.tmp"
	chmod 0755 "$CLI.tmp"
	mv "$CLI.tmp" "$CLI"
	systemctl daemon-reload
	# Enabled once, on the first install: a unit an admin disabled since (a
	# host that runs no worker, say) stays disabled through upgrades.
	if ((first)); then
		systemctl enable --quiet uni-manager.target "${UNITS[@]}"
	fi
}

configure_caddy() {
	((WITH_CADDY)) || return 0
	apt_install caddy
	local domain
	domain=$(get_env_var "$ENV_FILE" PUBLIC_URL)
	# host[:port] of PUBLIC_URL: Caddy serves HTTPS on that port (443 if none).
	domain=${domain#*://}
	domain=${domain%%/*}
	install -m 0644 "$PREFIX/deploy/Caddyfile" /etc/caddy/uni-manager.Caddyfile
	if [[ ! -e $CONF_DIR/caddy.env ]]; then
		printf '# Read by Caddy (see /etc/systemd/system/caddy.service.d/uni-manager.conf).\nDOMAIN=%s\n#UM_TLS=internal\n' \
			"$domain" >"$CONF_DIR/caddy.env"
		chmod 0644 "$CONF_DIR/caddy.env"
	fi
	local dropin=/etc/systemd/system/caddy.service.d/uni-manager.conf old=""
	[[ -e $dropin ]] && old=$(cat "$dropin")
	install -d -m 0755 /etc/systemd/system/caddy.service.d
	cat >"$dropin" <<EOF
# Written by Uni-Manager's install.sh: Caddy serves deploy/Caddyfile, with
# DOMAIN and the other settings from $CONF_DIR/caddy.env.
[Service]
EnvironmentFile=$CONF_DIR/caddy.env
ExecStart=
ExecStart=/usr/bin/caddy run --environ --config /etc/caddy/uni-manager.Caddyfile
ExecReload=
ExecReload=/usr/bin/caddy reload --config /etc/caddy/uni-manager.Caddyfile --force
EOF
	systemctl daemon-reload
	systemctl enable --quiet caddy.service
	# A reload keeps open connections (console sessions); a restart is only
	# needed when the drop-in itself changed.
	if [[ $old == "$(cat "$dropin")" ]] && systemctl is-active --quiet caddy.service; then
		systemctl reload caddy.service
	else
		systemctl restart caddy.service
	fi
	say "Caddy serves $domain (settings: $CONF_DIR/caddy.env)"
}

wait_ready() {
	local port url
	port=$(get_env_var "$ENV_FILE" PORT)
	url="http://127.0.0.1:${port:-8000}/api/v1/health/ready"
	"$NODE_BIN" -e '
		const url = process.argv[1];
		const deadline = Date.now() + 90_000;
		(async () => {
			while (Date.now() < deadline) {
				try { if ((await fetch(url, { signal: AbortSignal.timeout(2000) })).ok) process.exit(0); } catch {}
				await new Promise((r) => setTimeout(r, 1000));
			}
			process.exit(1);
		})();
	' "$url"
}

main() {
	parse_args "$@"
	check_system
	# One installer at a time: two builds would fight over $PREFIX.new.
	exec 9>/run/lock/uni-manager-install.lock
	flock -n 9 || die "another install.sh is running"

	ensure_node
	apt_install ca-certificates
	ensure_services
	ensure_user
	local first_install=0
	[[ -e $ENV_FILE ]] || first_install=1
	ensure_env_file

	trap on_exit EXIT
	FAIL_HINT="The build failed; nothing was changed and the running release is untouched. $PREFIX.new holds the partial build."
	build_release
	FAIL_HINT="Stopped while switching releases. The services may be stopped: check $PREFIX and $PREFIX.previous, then systemctl start uni-manager.target"
	stop_running_services
	swap_release
	install_units
	FAIL_HINT=

	if grep -q 'CHANGE-ME' "$ENV_FILE"; then
		warn "$ENV_FILE still holds placeholder values (DATABASE_URL with --external-services?)."
		warn "Edit it, then run: uni-manager migrate && systemctl start uni-manager.target"
		exit 0
	fi
	say "Applying database migrations"
	if ! "$CLI" migrate; then
		die "migrations failed; the services are stopped. Fix the cause and run: uni-manager migrate && systemctl start uni-manager.target
  (the previous release is in $PREFIX.previous; database migrations only go forward)"
	fi

	if ((FORCE_START)); then
		say "Starting the services"
		systemctl start uni-manager.target
	elif ((${#RUNNING[@]})); then
		say "Starting ${RUNNING[*]} again"
		systemctl start "${RUNNING[@]}"
	fi
	if systemctl is-active --quiet uni-manager-api.service; then
		if wait_ready; then say "API ready"; else warn "API not ready after 90 s: journalctl -u uni-manager-api"; fi
	fi
	configure_caddy

	local public_url
	public_url=$(get_env_var "$ENV_FILE" PUBLIC_URL)
	if ((first_install)) && ! ((FORCE_START)); then
		cat <<EOF

Uni-Manager is installed in $PREFIX; settings are in $ENV_FILE.

Next steps:
  1. Review $ENV_FILE (PUBLIC_URL=$public_url).
  2. Create your administrator before the first start:
       sudo uni-manager create-admin
  3. Start everything:
       sudo systemctl start uni-manager.target
  4. Put Caddy in front (HTTPS is required: the session cookie is Secure):
       sudo $SOURCE/deploy/install.sh --with-caddy   (or see deploy/README.md)
  5. Logs: journalctl -u 'uni-manager-*' -f

EOF
	else
		cat <<EOF

Uni-Manager is up to date in $PREFIX (previous release: $PREFIX.previous).
  Status: systemctl status uni-manager.target 'uni-manager-*'
  Logs:   journalctl -u 'uni-manager-*' -f
  Site:   $public_url
EOF
	fi
}

# Sourcing the file (for tests) defines the functions without running them.
if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
	main "$@"
fi
