#!/usr/bin/env bash
# The container image's file system besides the application (profile `image` of infra/server, ADR 0035 and 0041): a Java
# runtime cut by jlink from the JDK that builds, the shared libraries it needs copied from this machine (the image
# has no base: no registry is needed to build it), the user it runs as, and writable /tmp and /data. Linux x86-64
# only (the image says amd64; its libraries are those of the machine that builds).
#   runtime.sh OUTPUT_DIR
set -euo pipefail
out="$1"
java_home="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}"
# What Spring, Tomcat, Axon, Kafka's clients, PgJDBC and the CLI use (java.desktop: java.beans; jdk.security.auth:
# Kafka's JAAS; jdk.crypto.*: TLS; jdk.unsupported: sun.misc.Unsafe).
modules=java.base,java.compiler,java.desktop,java.instrument,java.logging,java.management,java.naming,java.net.http
modules=$modules,java.prefs,java.rmi,java.scripting,java.security.jgss,java.security.sasl,java.sql,java.transaction.xa
modules=$modules,java.xml,java.xml.crypto,jdk.charsets,jdk.crypto.cryptoki,jdk.crypto.ec,jdk.management,jdk.naming.dns
modules=$modules,jdk.net,jdk.security.auth,jdk.unsupported,jdk.zipfs

rm -rf "$out"
mkdir -p "$out/opt" "$out/tmp" "$out/data" "$out/etc"
# the user the image runs as (its home is the data directory: Java reads both)
echo "salesledger:x:65532:65532:Sales Ledger:/data:/sbin/nologin" > "$out/etc/passwd"
echo "salesledger:x:65532:" > "$out/etc/group"
"$java_home/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files --compress=2 \
  --output "$out/opt/java"

# Every shared library the runtime's programs and libraries load, with the dynamic loader, at the same paths as here
# (but not those of AWT's graphics, sound and fonts, which a server without a display never loads: X11 and the like).
find "$out/opt/java" -type f \( -name '*.so' -o -path '*/bin/*' -o -name jspawnhelper \) \
    ! -name 'libawt*' ! -name 'libfontmanager.so' ! -name 'libjawt.so' ! -name 'libsplashscreen.so' \
    ! -name 'liblcms.so' ! -name 'libjavajpeg.so' ! -name 'libmlib_image.so' ! -name 'libjsound.so' -print0 \
  | xargs -0 ldd 2>/dev/null \
  | awk -v own="$out" '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// && $1 !~ /:$/ { print $1 }' \
  | grep -v "^$out/" \
  | sort -u \
  | while read -r lib; do
      mkdir -p "$out$(dirname "$lib")"
      cp -L "$lib" "$out$lib"
    done
test "$(uname -m)" = x86_64 || { echo "runtime.sh: the image is built on Linux x86-64 only" >&2; exit 1; }
test -f "$out/lib64/ld-linux-x86-64.so.2" || { echo "runtime.sh: no dynamic loader found" >&2; exit 1; }
# the JDK's CA certificates may be a link into this machine's /etc: the image keeps a copy of what it points to
cacerts="$out/opt/java/lib/security/cacerts"
if [ -L "$cacerts" ]; then
  cp --remove-destination -L "$java_home/lib/security/cacerts" "$cacerts"
fi
echo "runtime.sh: $(du -sh "$out" | cut -f1) in $out"
