# Sourced by ./optimus, ./mvnw and .ci/run: exports JAVA_HOME and JAVA pointing at a JDK of 21 or newer.
# Order: $JAVA_HOME, then the newest JDK under /usr/lib/jvm (and /opt/java, ~/.sdkman), then java on PATH.
optimus_java_major() { # prints the major version of the java binary $1, or nothing
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = \([0-9.]*\).*/\1/p' | sed 's/^1\.//' | cut -d. -f1
}
optimus_find_jdk() {
  local min=21 cand v best="" bestv=0
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    v=$(optimus_java_major "$JAVA_HOME/bin/java"); [ -n "$v" ] && [ "$v" -ge "$min" ] && { echo "$JAVA_HOME"; return 0; }
  fi
  for cand in /usr/lib/jvm/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/*; do
    [ -x "$cand/bin/javac" ] || continue
    v=$(optimus_java_major "$cand/bin/java"); [ -n "$v" ] || continue
    if [ "$v" -ge "$min" ] && [ "$v" -gt "$bestv" ]; then best=$cand; bestv=$v; fi
  done
  if [ -n "$best" ]; then (cd "$best" && pwd -P); return 0; fi
  if command -v javac >/dev/null 2>&1; then
    cand=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
    v=$(optimus_java_major "$cand/bin/java"); [ -n "$v" ] && [ "$v" -ge "$min" ] && { echo "$cand"; return 0; }
  fi
  return 1
}
if OPTIMUS_JDK=$(optimus_find_jdk); then
  export JAVA_HOME="$OPTIMUS_JDK"; export JAVA="$JAVA_HOME/bin/java"
else
  echo "optimus: no JDK 21 or newer found (looked at \$JAVA_HOME=${JAVA_HOME:-unset}, /usr/lib/jvm/*, /opt/java/*, PATH)." >&2
  echo "optimus: install one (e.g. 'apt-get install -y openjdk-21-jdk' or Temurin 21+) or point JAVA_HOME at it." >&2
  exit 1
fi
