#!/usr/bin/env bash
# Where a JFR recording's CPU samples went, by the component their stack passes through (the first that matches,
# in the order below), as a Markdown table:  profile-breakdown.sh RECORDING.jfr
set -euo pipefail
jfr print --events jdk.ExecutionSample --stack-depth 96 "$1" | awk '
  function classify(stack) {
    if (stack ~ /java\.security\.Signature\.sign\(/) return "Ed25519 signing (dev logins of the setup, outside the measured window)";
    if (stack ~ /java\.security\.Signature\.verify\(/) return "Ed25519 verification of the session token (codecs verifier, BouncyCastle)";
    if (stack ~ /io\.vertx\.openapi|io\.vertx\.json\.schema/) return "OpenAPI request validation (vertx-openapi, json-schema)";
    if (stack ~ /io\.vertx\.redis/) return "Redis client";
    if (stack ~ /io\.vertx\.pgclient|io\.vertx\.sqlclient/) return "PostgreSQL client";
    if (stack ~ /dev\.boxoffice/) return "Boxoffice code (handlers, batches)";
    if (stack ~ /com\.fasterxml\.jackson/) return "JSON";
    if (stack ~ /io\.micrometer|io\.vertx\.micrometer/) return "Metrics";
    if (stack ~ /io\.netty|io\.vertx\.core\.http|io\.vertx\.ext\.web/) return "HTTP (Netty, Vert.x web)";
    return "Other";
  }
  /^jdk\.ExecutionSample \{/ { inside = 1; stack = ""; next }
  inside && /^\}/ { count[classify(stack)]++; total++; inside = 0; next }
  inside { stack = stack $0 }
  END {
    print "| Component | Samples | Share |";
    print "|---|---|---|";
    n = 0;
    for (c in count) order[++n] = c;
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (count[order[j]] > count[order[i]]) { t = order[i]; order[i] = order[j]; order[j] = t }
    for (i = 1; i <= n; i++) printf "| %s | %d | %.0f%% |\n", order[i], count[order[i]], 100 * count[order[i]] / total;
  }'
