package dev.boxoffice.lambdas;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The site's pages that emails link to, under {@code BOXOFFICE_SITE_URL} (the frontend's origin, e.g.
 * {@code https://tickets.example.com}).
 */
final class SiteLinks {

  static final String SITE_URL = "BOXOFFICE_SITE_URL";

  private final String site;

  SiteLinks(HandlerEnvironment environment) {
    this.site = environment.required(SITE_URL).replaceAll("/+$", "");
  }

  /** The site's origin, without a trailing slash. */
  String site() {
    return site;
  }

  String confirmSubscription(String token) {
    return site + "/subscription/confirm?token=" + encode(token);
  }

  String unsubscribePage(String token) {
    return site + "/unsubscribe?token=" + encode(token);
  }

  String event(Object eventId) {
    return site + "/events/" + eventId;
  }

  static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
