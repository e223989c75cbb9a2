package dev.boxoffice.local.aws.secrets;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The secrets and parameters of the local account, in memory: Secrets Manager's versions with their staging labels
 * ({@code AWSCURRENT}, {@code AWSPREVIOUS}, and any a rotation adds) and SSM parameters with their version numbers.
 * Every method is synchronized: a rotation moves labels between versions in one step, as Secrets Manager does.
 */
public final class SecretStore {

  public static final String CURRENT = "AWSCURRENT";
  public static final String PREVIOUS = "AWSPREVIOUS";
  private static final String ARN_SUFFIX_CHARACTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

  private final String account;
  private final String region;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, Secret> secretsByName = new HashMap<>();
  private final Map<String, Parameter> parametersByName = new HashMap<>();

  public SecretStore(String account, String region) {
    this.account = account;
    this.region = region;
  }

  /** One version of a secret: its value and the staging labels on it. */
  public record SecretVersion(String arn, String name, String versionId, String secretString, List<String> stages,
                              Instant created) {
  }

  /** One version of an SSM parameter. */
  public record ParameterValue(String name, String arn, String type, String value, long version, Instant modified) {
  }

  private static final class Secret {
    final String name;
    final String arn;
    final Map<String, String> values = new LinkedHashMap<>();
    final Map<String, Instant> created = new HashMap<>();
    final Map<String, String> versionByStage = new HashMap<>();

    Secret(String name, String arn) {
      this.name = name;
      this.arn = arn;
    }
  }

  private record Parameter(String name, String type, String value, long version, Instant modified) {
  }

  /** CreateSecret: a new secret whose first version is AWSCURRENT; refused if the name exists. */
  public synchronized SecretVersion createSecret(String name, String secretString) {
    if (secretsByName.containsKey(name)) {
      throw new SecretsException("ResourceExistsException", "The operation failed because the secret " + name
          + " already exists.");
    }
    Secret secret = new Secret(name, "arn:aws:secretsmanager:" + region + ":" + account + ":secret:" + name + "-"
        + suffix());
    secretsByName.put(name, secret);
    return putValue(secret, UUID.randomUUID().toString(), secretString, List.of(CURRENT));
  }

  /**
   * PutSecretValue: a new version labelled {@code stages} (AWSCURRENT when none is given, moving the former current
   * version to AWSPREVIOUS). A repeated {@code clientRequestToken} with the same value is answered as the first time.
   */
  public synchronized SecretVersion putSecretValue(String secretId, String clientRequestToken, String secretString,
                                                   List<String> stages) {
    Secret secret = find(secretId);
    String versionId = clientRequestToken == null ? UUID.randomUUID().toString() : clientRequestToken;
    String existing = secret.values.get(versionId);
    if (existing != null) {
      if (!existing.equals(secretString)) {
        throw new SecretsException("ResourceExistsException", "You can't modify an existing version, you can only"
            + " create a new version.");
      }
      return version(secret, versionId);
    }
    return putValue(secret, versionId, secretString, stages.isEmpty() ? List.of(CURRENT) : stages);
  }

  /** GetSecretValue by version id, by staging label, or AWSCURRENT. */
  public synchronized SecretVersion getSecretValue(String secretId, String versionId, String versionStage) {
    Secret secret = find(secretId);
    String id = versionId;
    if (id == null) {
      String stage = versionStage == null ? CURRENT : versionStage;
      id = secret.versionByStage.get(stage);
      if (id == null) {
        throw new SecretsException("ResourceNotFoundException", "Secrets Manager can't find the specified secret"
            + " value for staging label: " + stage);
      }
    } else if (!secret.values.containsKey(id)) {
      throw new SecretsException("ResourceNotFoundException", "Secrets Manager can't find the specified secret"
          + " value for VersionId: " + id);
    }
    SecretVersion version = version(secret, id);
    if (versionStage != null && !version.stages().contains(versionStage)) {
      throw new SecretsException("InvalidRequestException", "You provided a VersionStage that is not associated"
          + " with the provided VersionId.");
    }
    return version;
  }

  /** The ARN of a secret named by its name or ARN, for the IAM check before the call. */
  public synchronized Optional<String> secretArn(String secretId) {
    return Optional.ofNullable(lookup(secretId)).map(secret -> secret.arn);
  }

  /** PutParameter: a new parameter, or with {@code overwrite} a new version of one. */
  public synchronized long putParameter(String name, String type, String value, boolean overwrite) {
    Parameter existing = parametersByName.get(name);
    if (existing != null && !overwrite) {
      throw new SecretsException("ParameterAlreadyExists", "The parameter already exists. To overwrite this value,"
          + " set the overwrite option in the request to true.");
    }
    long version = existing == null ? 1 : existing.version() + 1;
    parametersByName.put(name, new Parameter(name, type, value, version, Instant.now()));
    return version;
  }

  public synchronized Optional<ParameterValue> parameter(String name) {
    return Optional.ofNullable(parametersByName.get(name))
        .map(found -> new ParameterValue(found.name(), parameterArn(name), found.type(), found.value(),
            found.version(), found.modified()));
  }

  /** A parameter's ARN as SSM writes it: a leading slash of the name is not doubled. */
  public String parameterArn(String name) {
    return "arn:aws:ssm:" + region + ":" + account + ":parameter" + (name.startsWith("/") ? name : "/" + name);
  }

  private SecretVersion putValue(Secret secret, String versionId, String secretString, List<String> stages) {
    if (stages.contains(CURRENT)) {
      String current = secret.versionByStage.get(CURRENT);
      if (current != null) {
        secret.versionByStage.put(PREVIOUS, current);
      }
    }
    secret.values.put(versionId, secretString);
    secret.created.put(versionId, Instant.now());
    stages.forEach(stage -> secret.versionByStage.put(stage, versionId));
    return version(secret, versionId);
  }

  private SecretVersion version(Secret secret, String versionId) {
    List<String> stages = new ArrayList<>();
    secret.versionByStage.forEach((stage, id) -> {
      if (id.equals(versionId)) {
        stages.add(stage);
      }
    });
    stages.sort(null);
    return new SecretVersion(secret.arn, secret.name, versionId, secret.values.get(versionId), List.copyOf(stages),
        secret.created.get(versionId));
  }

  private Secret find(String secretId) {
    Secret secret = lookup(secretId);
    if (secret == null) {
      throw new SecretsException("ResourceNotFoundException", "Secrets Manager can't find the specified secret.");
    }
    return secret;
  }

  /** By name, by full ARN, or by the ARN without its random suffix, as Secrets Manager accepts them. */
  private Secret lookup(String secretId) {
    Secret byName = secretsByName.get(secretId);
    if (byName != null) {
      return byName;
    }
    for (Secret secret : secretsByName.values()) {
      if (secret.arn.equals(secretId) || secret.arn.substring(0, secret.arn.length() - 7).equals(secretId)) {
        return secret;
      }
    }
    return null;
  }

  private String suffix() {
    StringBuilder suffix = new StringBuilder();
    for (int i = 0; i < 6; i++) {
      suffix.append(ARN_SUFFIX_CHARACTERS.charAt(random.nextInt(ARN_SUFFIX_CHARACTERS.length())));
    }
    return suffix.toString();
  }
}
