# Finds a JDK 25 or newer and exports JAVA_HOME. Meant to be sourced by bash:
#   source scripts/find-jdk.sh || exit 1
# Looks at $JAVA_HOME, then the `java` on PATH, then the usual install folders.
# Returns 1 (or exits 1, when run instead of sourced) with advice if there is none.

_modelc_jdk_major() { # JDK home -> its major version on stdout; fails if it is not a JDK
  local home=$1 version=
  [[ -x $home/bin/java && -x $home/bin/javac ]] || return 1
  if [[ -r $home/release ]]; then # reading the release file is much faster than starting a JVM
    version=$(sed -n 's/^JAVA_VERSION="\(.*\)"$/\1/p' "$home/release")
  fi
  if [[ -z $version ]]; then
    version=$("$home/bin/java" -version 2>&1 | sed -n '1s/^[^"]*"\([^"]*\)".*$/\1/p')
  fi
  version=${version#1.} # 1.8.0 -> 8
  version=${version%%[!0-9]*}
  [[ -n $version ]] && echo "$version"
}

_modelc_find_jdk() {
  local minimum=25 home major java_on_path
  local -a candidates=()
  [[ -n ${JAVA_HOME:-} ]] && candidates+=("$JAVA_HOME")
  if java_on_path=$(command -v java); then
    java_on_path=$(readlink -f "$java_on_path" 2>/dev/null || echo "$java_on_path")
    candidates+=("${java_on_path%/bin/java}")
  fi
  if [[ -x /usr/libexec/java_home ]]; then # macOS
    home=$(/usr/libexec/java_home -v "$minimum+" 2>/dev/null) && candidates+=("$home")
  fi
  local pattern
  for pattern in /usr/lib/jvm/* /opt/java/* /opt/jdk* "${HOME:-}"/.sdkman/candidates/java/* \
      /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [[ -d $pattern ]] && candidates+=("$pattern")
  done
  for home in "${candidates[@]}"; do
    major=$(_modelc_jdk_major "$home") || continue
    if (( major >= minimum )); then
      export JAVA_HOME=$home
      return 0
    fi
  done
  cat >&2 <<MSG
modelc: no JDK $minimum or newer found (looked at JAVA_HOME, the java on PATH, /usr/lib/jvm,
/opt/java, /opt/jdk*, ~/.sdkman and /Library/Java/JavaVirtualMachines).
Install a JDK $minimum, for example Eclipse Temurin $minimum from https://adoptium.net
(or 'sdk install java $minimum-tem'), then set JAVA_HOME to it or put its bin/ on PATH.
MSG
  return 1
}

if _modelc_find_jdk; then
  unset -f _modelc_jdk_major _modelc_find_jdk
  # Run directly instead of sourced: say what was found.
  [[ ${BASH_SOURCE[0]} == "$0" ]] && echo "$JAVA_HOME"
  true
else
  unset -f _modelc_jdk_major _modelc_find_jdk
  return 1 2>/dev/null || exit 1
fi
