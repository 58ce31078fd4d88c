#!/usr/bin/env bash
# meson install into a DESTDIR puts every piece in place; a program built
# only with pkg-config against the installed libvhcv reports a violation to
# the installed vhcvd, which runs on the installed configuration files.
. "$SRCDIR/tests/integration/lib.sh"
: "${BUILDDIR:?}" "${PREFIX:?}" "${LIBDIR:?}" "${BINDIR:?}" "${SBINDIR:?}" "${INCLUDEDIR:?}"
: "${MANDIR:?}" "${SYSCONFDIR:?}" "${DATADIR:?}" "${VERSION:?}" "${SANITIZE:?}"
DEST=$T_DIR/dest

meson install -C "$BUILDDIR" --destdir "$DEST" --no-rebuild --quiet >"$T_DIR/install.log" 2>&1 ||
	{ cat "$T_DIR/install.log" >&2; t_fail "meson install"; t_done; }
for f in "$LIBDIR/libvhcv.so.1" "$LIBDIR/libvhcv.so" "$LIBDIR/pkgconfig/libvhcv.pc" \
	"$INCLUDEDIR/vhcv.h" "$INCLUDEDIR/vhcv/cases.h" "$INCLUDEDIR/vhcv/errors.h" \
	"$BINDIR/vhcv" "$SBINDIR/vhcvd" "$MANDIR/man1/vhcv.1" "$MANDIR/man8/vhcvd.8" \
	"$MANDIR/man5/vhcvd.yaml.5" "$PREFIX/lib/systemd/system/vhcvd.service" \
	"$SYSCONFDIR/vhcv/vhcvd.yaml" "$DATADIR/vhcv/migrations/0001_schema.sql"; do
	t_eq "$(test -e "$DEST$f" && echo yes || echo no)" yes "installed: $f"
done
t_eq "$(ls "$DEST$SYSCONFDIR/vhcv/rules/"*.yaml 2>/dev/null | wc -l | tr -d ' ' | sed 's/^[1-9][0-9]*$/some/')" some \
	"installed: the conduct code"
t_eq "$(ls "$DEST$SYSCONFDIR/vhcv/legal/"*.yaml 2>/dev/null | wc -l | tr -d ' ' | sed 's/^[1-9][0-9]*$/some/')" some \
	"installed: the legal tables"
t_eq "$(readelf -d "$DEST$LIBDIR/libvhcv.so" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')" libvhcv.so.1 "soname libvhcv.so.1"
t_contains "$(cat "$DEST$PREFIX/lib/systemd/system/vhcvd.service")" "ExecStart=$SBINDIR/vhcvd -c $SYSCONFDIR/vhcv/vhcvd.yaml" \
	"the unit starts the installed vhcvd on the installed configuration"
cfg=$(cat "$DEST$SYSCONFDIR/vhcv/vhcvd.yaml")
t_contains "$cfg" "rules: $SYSCONFDIR/vhcv/rules" "the installed configuration names the installed rules"
t_contains "$cfg" "migrations: $DATADIR/vhcv/migrations" "and the installed migrations"
t_contains "$cfg" "unix: /run/vhcvd/vhcvd.sock" "and the system socket"
# the installed configuration is valid once its paths are seen below DESTDIR
sed -e "s|$SYSCONFDIR/|$DEST$SYSCONFDIR/|; s|$DATADIR/|$DEST$DATADIR/|" \
	"$DEST$SYSCONFDIR/vhcv/vhcvd.yaml" >"$T_DIR/installed.yaml"
out=$("$DEST$SBINDIR/vhcvd" -n -c "$T_DIR/installed.yaml" 2>&1) && rc=0 || rc=$?
t_eq "$rc" 0 "vhcvd -n accepts the installed configuration"
[ "$rc" == 0 ] || echo "$out" >&2

# pkg-config sees the installed library through the DESTDIR
export PKG_CONFIG_PATH=$DEST$LIBDIR/pkgconfig PKG_CONFIG_SYSROOT_DIR=$DEST
t_eq "$(pkg-config --modversion libvhcv)" "$VERSION" "pkg-config --modversion libvhcv"
flags=$(pkg-config --cflags --libs libvhcv)
t_contains "$flags" "-I$DEST$INCLUDEDIR" "cflags point into the DESTDIR"
san=()
[ "$SANITIZE" == none ] || san=(-fsanitize="$SANITIZE")
# shellcheck disable=SC2086
cc -std=c99 -Wall -Wextra -Werror "${san[@]}" -o "$T_DIR/report" "$SRCDIR/tests/install/report.c" $flags
t_eq "$?" 0 "an external program compiles and links with pkg-config"
export LD_LIBRARY_PATH=$DEST$LIBDIR
t_contains "$(ldd "$T_DIR/report")" "$DEST$LIBDIR/libvhcv.so.1" "and loads the installed libvhcv"

# the installed vhcvd, on the installed rules, legal tables and migrations
VHCVD=$DEST$SBINDIR/vhcvd
db=$(t_db install)
t_config "$db" "$DEST$DATADIR/vhcv/migrations" |
	sed -e "s|^rules: .*|rules: $DEST$SYSCONFDIR/vhcv/rules|; s|^legal: .*|legal: $DEST$SYSCONFDIR/vhcv/legal|" \
		>"$T_DIR/vhcvd.yaml"
"$VHCVD" --migrate -c "$T_DIR/vhcvd.yaml" >/dev/null 2>&1
t_daemon "$T_DIR/vhcvd.yaml"
out=$("$T_DIR/report" "unix:$T_DIR/vhcvd.sock" 2>&1) && rc=0 || rc=$?
t_eq "$rc" 0 "the external program reports a violation"
t_contains "$out" "reported Vũ Thị Hà" "and reads the case back"
out=$("$DEST$BINDIR/vhcv" -s "unix:$T_DIR/vhcvd.sock" --json health 2>&1) && rc=0 || rc=$?
t_eq "$rc" 0 "the installed vhcv talks to the installed vhcvd"
t_daemon_stop
t_done
