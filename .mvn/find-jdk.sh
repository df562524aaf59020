# Sourced by ./mvnw and ./conntrace: sets JAVA_HOME to a JDK whose major version is at least
# $1 (JAVA_HOME first, then /usr/lib/jvm/*, newest first). Returns 1 when there is none.
java_major() {
  # The JDK's release file names its version without starting a JVM; ask the JVM only if it is missing.
  if [ -f "$1/release" ]; then
    sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release"
  else
    "$1/bin/java" -XshowSettings:properties -version 2>&1 \
      | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p'
  fi
}
find_jdk() {
  want=$1
  for home in ${JAVA_HOME:+"$JAVA_HOME"} $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -rV); do
    home=${home%/}
    [ -x "$home/bin/java" ] && [ -x "$home/bin/javac" ] || continue
    major=$(java_major "$home")
    if [ -n "$major" ] && [ "$major" -ge "$want" ]; then
      JAVA_HOME=$home
      export JAVA_HOME
      return 0
    fi
  done
  return 1
}
