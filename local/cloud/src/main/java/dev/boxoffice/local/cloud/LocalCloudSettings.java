package dev.boxoffice.local.cloud;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * Where the local AWS half keeps its data, which loopback ports its services take (0: a free one), the repository
 * whose {@code cloudformation/serverless.yaml} and {@code state-machines/} it is created from, and what the functions
 * get on top of the template's variables.
 *
 * @param functionSecrets what Secrets Manager and SSM would resolve into the functions' environment
 * @param functionSettings further variables every function gets (e.g. the organizer list), as a deployment's
 *     parameters would set them
 * @param templateParameters values of the template's parameters, as a deployment passes them: {@code SiteUrl} and
 *     {@code MailDomain} have no default, {@code SesMaxSendRate} sets the local SES's sending rate too
 * @param account what the local account enforces: IAM and the service quotas
 */
public record LocalCloudSettings(Path repositoryRoot, Path dataDir, Ports ports, FunctionSecrets functionSecrets,
                                 Map<String, String> functionSettings, Map<String, String> templateParameters,
                                 LocalAccount account) {

  /** The domain the local mail is sent from, a verified identity of the local SES. */
  public static final String LOCAL_MAIL_DOMAIN = "boxoffice.localhost";

  /** The site the mails of a test run link to; nothing listens there. */
  public static final String TEST_SITE_URL = "http://127.0.0.1:9";

  /** The loopback ports of the services (and of the local Stripe server beside them); 0 picks a free one. */
  public record Ports(int apiGateway, int s3, int dynamoDb, int sns, int stepFunctions, int smtp, int inbox, int sqs,
                      int ses, int stripe, int secrets) {

    public static Ports anyFree() {
      return new Ports(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }
  }

  public LocalCloudSettings {
    Objects.requireNonNull(repositoryRoot, "repositoryRoot");
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(ports, "ports");
    Objects.requireNonNull(functionSecrets, "functionSecrets");
    Objects.requireNonNull(account, "account");
    functionSettings = Map.copyOf(functionSettings);
    templateParameters = Map.copyOf(templateParameters);
  }

  /**
   * For a test run: the checkout the tests run in, a data folder of the run's own, free ports, fresh secrets, the
   * local mail domain, a site at {@value #TEST_SITE_URL} (links in mails point there), an SES sending rate high
   * enough that no test waits on it, and IAM and quotas as the environment sets them (on, as in AWS, unless a
   * developer turned them off).
   */
  public static LocalCloudSettings forTests(Path dataDir) {
    return new LocalCloudSettings(checkoutRoot(), dataDir, Ports.anyFree(), FunctionSecrets.generate(), Map.of(),
        Map.of("SiteUrl", TEST_SITE_URL, "MailDomain", LOCAL_MAIL_DOMAIN, "SesMaxSendRate", "1000"),
        LocalAccount.fromEnvironment(System.getenv()));
  }


  public Path template() {
    return repositoryRoot.resolve("cloudformation/serverless.yaml");
  }

  /** The checkout this runs in: the nearest folder upwards holding the root pom and {@code cloudformation/}. */
  public static Path checkoutRoot() {
    Path dir = Path.of("").toAbsolutePath();
    for (Path candidate = dir; candidate != null; candidate = candidate.getParent()) {
      if (Files.isRegularFile(candidate.resolve("pom.xml")) && Files.isDirectory(candidate.resolve("cloudformation"))) {
        return candidate;
      }
    }
    throw new IllegalStateException("run this from inside the Boxoffice checkout (no cloudformation/ above " + dir
        + ")");
  }
}
