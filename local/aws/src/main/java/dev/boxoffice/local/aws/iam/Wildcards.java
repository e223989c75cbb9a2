package dev.boxoffice.local.aws.iam;

/**
 * IAM's wildcards: {@code *} matches any run of characters (colons and slashes included, as in
 * {@code arn:aws:s3:::bucket/*}), {@code ?} any one character. Actions compare case-insensitively, ARNs exactly.
 */
final class Wildcards {

  private Wildcards() {
  }

  static boolean matches(String pattern, String value, boolean ignoreCase) {
    String p = ignoreCase ? pattern.toLowerCase(java.util.Locale.ROOT) : pattern;
    String v = ignoreCase ? value.toLowerCase(java.util.Locale.ROOT) : value;
    int pi = 0;
    int vi = 0;
    int starAt = -1;
    int matchedAtStar = 0;
    while (vi < v.length()) {
      if (pi < p.length() && (p.charAt(pi) == '?' || p.charAt(pi) == v.charAt(vi))) {
        pi++;
        vi++;
      } else if (pi < p.length() && p.charAt(pi) == '*') {
        starAt = pi++;
        matchedAtStar = vi;
      } else if (starAt >= 0) {
        pi = starAt + 1;
        vi = ++matchedAtStar;
      } else {
        return false;
      }
    }
    while (pi < p.length() && p.charAt(pi) == '*') {
      pi++;
    }
    return pi == p.length();
  }
}
