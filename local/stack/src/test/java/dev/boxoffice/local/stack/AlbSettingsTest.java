package dev.boxoffice.local.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.boxoffice.local.cloud.LocalCloudSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AlbSettingsTest {

  private static final Path CUSTOM = Path.of("src/test/resources/alb-custom");
  private static final Path DEFAULTS = Path.of("src/test/resources/alb-defaults");
  private static final Path TEMPLATES = LocalCloudSettings.checkoutRoot().resolve("cloudformation");

  @TempDir
  Path scratch;

  @Test
  @DisplayName("the public ALB's listener leads to its target group, whose settings and container are read as written")
  void readsTheForwardedTargetGroup() {
    AlbSettings alb = AlbSettings.fromTemplates(CUSTOM);

    assertThat(alb).isEqualTo(new AlbSettings("WebTargetGroup",
        new AlbSettings.HealthCheck("/ping", Duration.ofSeconds(10), Duration.ofSeconds(4), 3, 4,
            List.of(200, 201, 202, 204)),
        Duration.ofSeconds(45), Duration.ofSeconds(120), Optional.of(Duration.ofSeconds(600)),
        "least_outstanding_requests", Duration.ofSeconds(30), Duration.ofSeconds(90)));
  }

  @Test
  @DisplayName("what the templates leave out takes AWS's documented defaults")
  void missingSettingsTakeAwsDefaults() {
    AlbSettings alb = AlbSettings.fromTemplates(DEFAULTS);

    assertThat(alb).isEqualTo(new AlbSettings("PlainTargetGroup",
        new AlbSettings.HealthCheck("/", Duration.ofSeconds(30), Duration.ofSeconds(5), 5, 2, List.of(200)),
        Duration.ofSeconds(300), Duration.ofSeconds(60), Optional.empty(), "round_robin", Duration.ZERO,
        Duration.ofSeconds(30)));
  }

  @Test
  @DisplayName("the repository's templates put the backends' readiness behind the public ALB's HTTPS listener")
  void readsTheRepositoryTemplates() {
    AlbSettings alb = AlbSettings.fromTemplates(TEMPLATES);

    assertThat(alb.targetGroup()).isEqualTo("FrontendTargetGroup");
    assertThat(alb.healthCheck().path()).isEqualTo("/health/ready");
    assertThat(alb.healthCheck().healthyCodes()).containsExactly(200);
    assertThat(alb.slowStart()).as("new tasks warm up on a growing share").isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  @DisplayName("a shorter check interval keeps the template's thresholds and timeout")
  void intervalOverride() {
    AlbSettings alb = AlbSettings.fromTemplates(CUSTOM).withHealthCheckInterval(Duration.ofMillis(500));

    assertThat(alb.healthCheck()).isEqualTo(new AlbSettings.HealthCheck("/ping", Duration.ofMillis(500),
        Duration.ofSeconds(4), 3, 4, List.of(200, 201, 202, 204)));
  }

  @Test
  @DisplayName("matchers take single codes and ranges, as the ALB does")
  void matchers() {
    assertThat(AlbSettings.statusCodes("200")).containsExactly(200);
    assertThat(AlbSettings.statusCodes("200,202")).containsExactly(200, 202);
    assertThat(AlbSettings.statusCodes("200-203, 299")).containsExactly(200, 201, 202, 203, 299);
  }

  @Test
  @DisplayName("HAProxy accepts the configuration made from the repository's templates and from the sticky fixture")
  void haproxyAcceptsTheConfiguration() throws Exception {
    for (Path templates : List.of(TEMPLATES, CUSTOM)) {
      String config = HaproxyConfig.render(AlbSettings.fromTemplates(templates), "127.0.0.1", 18080,
          List.of(new HaproxyConfig.Target("backend-1", 18081), new HaproxyConfig.Target("backend-2", 18082)),
          scratch.resolve("admin.sock"));

      assertThat(haproxyCheck(config)).as("haproxy -c on\n%s", config).isEqualTo("Configuration file is valid");
    }
  }

  @Test
  @DisplayName("the configuration carries the template's health check, timeouts, stickiness and fail-open backups")
  void configurationCarriesTheTemplate() {
    String config = HaproxyConfig.render(AlbSettings.fromTemplates(CUSTOM), "127.0.0.1", 18080,
        List.of(new HaproxyConfig.Target("backend-1", 18081)), scratch.resolve("admin.sock"));

    assertThat(config)
        .contains("http-check send meth GET uri /ping ver HTTP/1.1")
        .contains("http-check expect rstatus ^(200|201|202|204)$")
        .contains("default-server inter 10000ms fall 4 rise 3 slowstart 30s")
        .contains("timeout check 4s")
        .contains("timeout client 120s")
        .contains("balance leastconn")
        .contains("cookie AWSALB insert indirect nocache maxlife 600s")
        .contains("server backend-1 127.0.0.1:18081 check cookie backend-1")
        .contains("server backend-1-fail-open 127.0.0.1:18081 backup")
        .contains("option allbackups");
  }

  @Test
  @DisplayName("a stickiness the local balancer cannot copy is refused with its name")
  void unsupportedStickiness() throws IOException {
    Path templates = Files.createDirectories(scratch.resolve("app-cookie"));
    Files.copy(CUSTOM.resolve("boxoffice.yaml"), templates.resolve("boxoffice.yaml"));
    Files.writeString(templates.resolve("compute.yaml"), Files.readString(CUSTOM.resolve("compute.yaml"))
        .replace("Value: lb_cookie", "Value: app_cookie"));

    assertThatThrownBy(() -> AlbSettings.fromTemplates(templates))
        .hasMessageContaining("lb_cookie stickiness only, not app_cookie");
  }

  @Test
  @DisplayName("a slow start the ALB refuses (under 30 s, over 900 s) is refused with its name")
  void slowStartOutOfRange() throws IOException {
    for (String seconds : List.of("10", "901")) {
      Path templates = Files.createDirectories(scratch.resolve("slow-start-" + seconds));
      Files.copy(CUSTOM.resolve("boxoffice.yaml"), templates.resolve("boxoffice.yaml"));
      String custom = Files.readString(CUSTOM.resolve("compute.yaml"));
      Files.writeString(templates.resolve("compute.yaml"), custom.replaceFirst(
          "(Key: slow_start.duration_seconds\\s+Value: )\"?\\d+\"?", "$1\"" + seconds + "\""));

      assertThatThrownBy(() -> AlbSettings.fromTemplates(templates))
          .hasMessageContaining("slow_start.duration_seconds must be 0 or 30-900").hasMessageContaining(seconds);
    }
  }

  private String haproxyCheck(String config) throws Exception {
    Path haproxy = LocalBalancer.executable().orElseThrow(() -> new AssertionError(LocalBalancer.installHint()));
    Path file = scratch.resolve("haproxy.cfg");
    Files.writeString(file, config);
    Process check = new ProcessBuilder(haproxy.toString(), "-c", "-f", file.toString()).redirectErrorStream(true)
        .start();
    String output = new String(check.getInputStream().readAllBytes()).strip();
    assertThat(check.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return output.lines().reduce((first, last) -> last).orElse("");
  }
}
