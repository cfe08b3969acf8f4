#!/bin/sh
# `uni-manager <command>` on a bare-metal install (install.sh copies this to
# /usr/local/bin/uni-manager): runs the command line of apps/api as the
# service account, with exactly the settings the services read from
# /etc/uni-manager/env, so `uni-manager migrate` or `create-admin` act on the
# same database as the running API.
#
#   sudo uni-manager create-admin
#   sudo uni-manager migrate
#   sudo uni-manager audit verify
set -eu

APP_USER=${UM_USER:-uni-manager}
APP_DIR=${UM_APP_DIR:-/opt/uni-manager}
ENV_FILE=${UM_ENV_FILE:-/etc/uni-manager/env}
# install.sh writes the path of the node it found here.
NODE_BIN=${UM_NODE:-/usr/bin/node}

case $0 in
/*) SELF=$0 ;;
*) SELF=$(pwd)/$0 ;;
esac
if [ ! -r "$ENV_FILE" ] && [ "$(id -u)" -ne 0 ]; then
	echo "uni-manager: cannot read $ENV_FILE; run it with sudo" >&2
	exit 1
fi

# env -i: nothing from the caller's shell (a NODE_ENV=development, a
# DATABASE_URL for another database) may leak into the command. Node reads
# the same file the systemd units name in EnvironmentFile=.
run() {
	# A relative DATA_DIR must resolve against the app, not against wherever
	# the admin happens to stand.
	cd "$APP_DIR"
	exec env -i PATH=/usr/local/bin:/usr/bin:/bin HOME=/var/lib/uni-manager LANG=C.UTF-8 \
		NODE_ENV=production "$NODE_BIN" --env-file="$ENV_FILE" "$APP_DIR/apps/api/dist/main.js" "$@"
}

if [ "$(id -un)" = "$APP_USER" ]; then
	run "$@"
elif [ "$(id -u)" -eq 0 ]; then
	# runuser keeps the terminal, so create-admin can still ask questions.
	exec runuser -u "$APP_USER" -- "$SELF" "$@"
else
	echo "uni-manager: run it as root (sudo) or as $APP_USER" >&2
	exit 1
fi
