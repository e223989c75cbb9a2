package dev.boxoffice.local.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.boxoffice.local.aws.cloudformation.CloudFormationTemplate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The public load balancer as the templates declare it, read at every start so the local balancer behaves like the
 * ALB in front of the tasks: the root stack's {@value #PUBLIC_LOAD_BALANCER} (its attributes), the compute stack's
 * listener that forwards its traffic (HTTPS in AWS, where port 80 only redirects; the local balancer serves that
 * listener's traffic over plain HTTP on loopback, as if TLS ended there), that listener's target group (health check, deregistration delay,
 * stickiness, algorithm, slow start) and the container of the service registered in it (its stop timeout). What a
 * template leaves out takes the value AWS documents as the default.
 *
 * @param targetGroup the target group's logical id
 * @param stickiness the lb_cookie duration when stickiness is on
 * @param stopTimeout how long ECS waits after its SIGTERM before it kills the container
 */
public record AlbSettings(String targetGroup, HealthCheck healthCheck, Duration deregistrationDelay,
                          Duration idleTimeout, Optional<Duration> stickiness, String algorithm, Duration slowStart,
                          Duration stopTimeout) {

  /** The root stack's internet-facing ALB, which the compute stack receives as {@value #LOAD_BALANCER_PARAMETER}. */
  static final String PUBLIC_LOAD_BALANCER = "FrontendLoadBalancer";
  static final String LOAD_BALANCER_PARAMETER = "FrontendLoadBalancerArn";
  static final String ROOT_TEMPLATE = "boxoffice.yaml";
  static final String COMPUTE_TEMPLATE = "compute.yaml";

  /**
   * The target group's health check.
   *
   * @param healthyCodes the status codes of its matcher ("200", "200,202" or "200-299")
   */
  public record HealthCheck(String path, Duration interval, Duration timeout, int healthyThreshold,
                            int unhealthyThreshold, List<Integer> healthyCodes) {
  }

  public static AlbSettings fromTemplates(Path cloudformationDir) {
    CloudFormationTemplate root = CloudFormationTemplate.load(cloudformationDir.resolve(ROOT_TEMPLATE));
    Map<String, String> balancer = attributes(root.resolvedProperties(PUBLIC_LOAD_BALANCER, "LoadBalancerAttributes")
        .path("LoadBalancerAttributes"));
    Path computeFile = cloudformationDir.resolve(COMPUTE_TEMPLATE);
    Map<String, String> parameters = new HashMap<>();
    parametersWithoutDefault(computeFile).forEach(name -> parameters.put(name, "unknown-locally"));
    parameters.put(LOAD_BALANCER_PARAMETER, PUBLIC_LOAD_BALANCER);
    CloudFormationTemplate compute = CloudFormationTemplate.load(computeFile, parameters,
        CloudFormationTemplate.DEFAULT_STACK_NAME);
    String targetGroup = forwardedTargetGroup(compute);
    JsonNode group = compute.resolvedProperties(targetGroup, "HealthCheckPath", "HealthCheckIntervalSeconds",
        "HealthCheckTimeoutSeconds", "HealthyThresholdCount", "UnhealthyThresholdCount", "Matcher",
        "TargetGroupAttributes");
    Map<String, String> attributes = attributes(group.path("TargetGroupAttributes"));
    HealthCheck healthCheck = new HealthCheck(
        group.path("HealthCheckPath").asText("/"),
        seconds(group.path("HealthCheckIntervalSeconds").asText("30")),
        seconds(group.path("HealthCheckTimeoutSeconds").asText("5")),
        group.path("HealthyThresholdCount").asInt(5),
        group.path("UnhealthyThresholdCount").asInt(2),
        statusCodes(group.path("Matcher").path("HttpCode").asText("200")));
    return new AlbSettings(targetGroup, healthCheck,
        seconds(attributes.getOrDefault("deregistration_delay.timeout_seconds", "300")),
        seconds(balancer.getOrDefault("idle_timeout.timeout_seconds", "60")),
        stickiness(attributes),
        attributes.getOrDefault("load_balancing.algorithm.type", "round_robin"),
        slowStart(attributes),
        stopTimeout(compute, targetGroup));
  }

  /** The same balancer checking every {@code interval}: thresholds and timeouts stay the template's. */
  public AlbSettings withHealthCheckInterval(Duration interval) {
    return new AlbSettings(targetGroup, new HealthCheck(healthCheck.path(), interval, healthCheck.timeout(),
        healthCheck.healthyThreshold(), healthCheck.unhealthyThreshold(), healthCheck.healthyCodes()),
        deregistrationDelay, idleTimeout, stickiness, algorithm, slowStart, stopTimeout);
  }

  /** The target group of the public load balancer's HTTP or HTTPS listener whose default action forwards. */
  private static String forwardedTargetGroup(CloudFormationTemplate compute) {
    for (String listener : compute.resourceIdsOfType("AWS::ElasticLoadBalancingV2::Listener")) {
      JsonNode properties = compute.resolvedProperties(listener, "LoadBalancerArn", "Protocol", "DefaultActions");
      JsonNode action = properties.path("DefaultActions").path(0);
      if (PUBLIC_LOAD_BALANCER.equals(properties.path("LoadBalancerArn").asText())
          && properties.path("Protocol").asText().matches("HTTPS?")
          && "forward".equals(action.path("Type").asText())) {
        return action.path("TargetGroupArn").asText();
      }
    }
    throw new IllegalStateException(COMPUTE_TEMPLATE + " has no HTTP or HTTPS listener of " + LOAD_BALANCER_PARAMETER
        + " that forwards to a target group");
  }

  /** The StopTimeout of the container the target group's service registers (ECS's default: 30 s). */
  private static Duration stopTimeout(CloudFormationTemplate compute, String targetGroup) {
    for (String service : compute.resourceIdsOfType("AWS::ECS::Service")) {
      JsonNode properties = compute.resolvedProperties(service, "LoadBalancers", "TaskDefinition");
      for (JsonNode registration : properties.path("LoadBalancers")) {
        if (targetGroup.equals(registration.path("TargetGroupArn").asText())) {
          String container = registration.path("ContainerName").asText();
          JsonNode task = compute.resolvedProperties(properties.path("TaskDefinition").asText(),
              "ContainerDefinitions");
          for (JsonNode definition : task.path("ContainerDefinitions")) {
            if (container.equals(definition.path("Name").asText())) {
              return Duration.ofSeconds(definition.path("StopTimeout").asInt(30));
            }
          }
        }
      }
    }
    throw new IllegalStateException(COMPUTE_TEMPLATE + " has no ECS service registered in " + targetGroup);
  }

  /**
   * The parameters a deployment must give: the container definitions that hold the stop timeout name some of them
   * (database host, image tag), and they are read whole. The public load balancer's parameter becomes its logical id,
   * which is how its listeners are recognized; the others a placeholder.
   */
  private static List<String> parametersWithoutDefault(Path template) {
    try {
      // Read as plain YAML, the intrinsic functions' tags ignored: only the Parameters section is looked at.
      JsonNode parameters = new ObjectMapper(new YAMLFactory()).readTree(template.toFile()).path("Parameters");
      List<String> names = new ArrayList<>();
      parameters.properties().forEach(parameter -> {
        if (!parameter.getValue().has("Default")) {
          names.add(parameter.getKey());
        }
      });
      return names;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + template, e);
    }
  }

  private static Optional<Duration> stickiness(Map<String, String> attributes) {
    if (!Boolean.parseBoolean(attributes.getOrDefault("stickiness.enabled", "false"))) {
      return Optional.empty();
    }
    String type = attributes.getOrDefault("stickiness.type", "lb_cookie");
    if (!type.equals("lb_cookie")) {
      throw new IllegalStateException("the local balancer copies lb_cookie stickiness only, not " + type);
    }
    return Optional.of(seconds(attributes.getOrDefault("stickiness.lb_cookie.duration_seconds", "86400")));
  }

  /** A list of {Key, Value} attributes as a map. */
  private static Map<String, String> attributes(JsonNode list) {
    Map<String, String> attributes = new HashMap<>();
    for (JsonNode attribute : list) {
      attributes.put(attribute.path("Key").asText(), attribute.path("Value").asText());
    }
    return attributes;
  }

  /** A matcher's codes: single codes and ranges separated by commas, as the ALB accepts them. */
  static List<Integer> statusCodes(String matcher) {
    TreeSet<Integer> codes = new TreeSet<>();
    for (String part : matcher.split(",")) {
      String[] range = part.trim().split("-");
      int from = Integer.parseInt(range[0].trim());
      int to = range.length == 2 ? Integer.parseInt(range[1].trim()) : from;
      for (int code = from; code <= to; code++) {
        codes.add(code);
      }
    }
    return new ArrayList<>(codes);
  }

  /** The slow start, 0 (off) or 30-900 s, as the ALB takes it; it refuses any other value, and so does this. */
  private static Duration slowStart(Map<String, String> attributes) {
    Duration slowStart = seconds(attributes.getOrDefault("slow_start.duration_seconds", "0"));
    if (!slowStart.isZero() && (slowStart.toSeconds() < 30 || slowStart.toSeconds() > 900)) {
      throw new IllegalStateException("slow_start.duration_seconds must be 0 or 30-900, as the ALB takes it, not "
          + slowStart.toSeconds());
    }
    return slowStart;
  }

  private static Duration seconds(String value) {
    return Duration.ofSeconds(Long.parseLong(value.trim()));
  }
}
