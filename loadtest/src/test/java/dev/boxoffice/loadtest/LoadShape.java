package dev.boxoffice.loadtest;

import static io.gatling.javaapi.core.CoreDsl.listFeeder;
import static io.gatling.javaapi.http.HttpDsl.http;

import io.gatling.javaapi.core.FeederBuilder;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The load a simulation puts on: read from system properties, with the figures as the defaults of the full
 * profile and a few seconds' worth under {@code -Dboxoffice.profile=smoke}, the profile the test suite runs.
 */
final class LoadShape {

  private LoadShape() {
  }

  static boolean smoke() {
    return "smoke".equals(System.getProperty("boxoffice.profile", "full"));
  }

  static String baseUrl() {
    return System.getProperty("boxoffice.baseUrl", "http://127.0.0.1:8080");
  }

  /** The property {@code boxoffice.<name>}, else the default of the profile. */
  static int integer(String name, int fullDefault, int smokeDefault) {
    String value = System.getProperty("boxoffice." + name);
    return value == null ? (smoke() ? smokeDefault : fullDefault) : Integer.parseInt(value.trim());
  }

  /** Where each simulation writes the figures and checks of its run, as JSON, for the benchmark report. */
  static Path resultsDir() {
    return Path.of(System.getProperty("boxoffice.resultsDir", "target/loadtest-results"));
  }

  /** The p99 a simulation's assertion allows, in ms: the 100 ms, looser for smoke runs on busy CI. */
  static int p99LimitMs() {
    return integer("p99LimitMs", 100, 5_000);
  }

  /** JSON over HTTP/1.1 with one connection per virtual user; no cache or warm-up request to distort the figures. */
  static HttpProtocolBuilder httpProtocol(String baseUrl) {
    return http.baseUrl(baseUrl)
        .acceptHeader("application/json")
        .disableCaching()
        .disableWarmUp();
  }

  /** Each virtual user takes the next account's {@code email} and {@code token}, round the list. */
  static FeederBuilder<Object> accounts(List<BoxofficeApi.Account> accounts) {
    return listFeeder(accounts.stream()
        .map(account -> Map.<String, Object>of("email", account.email(), "token", account.token()))
        .toList()).circular();
  }
}
