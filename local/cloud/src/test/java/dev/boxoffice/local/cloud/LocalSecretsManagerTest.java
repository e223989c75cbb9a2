package dev.boxoffice.local.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.boxoffice.codecs.session.SessionTokens;
import io.vertx.core.json.JsonObject;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;
import software.amazon.awssdk.services.ssm.model.ParameterType;
import software.amazon.awssdk.services.ssm.model.SsmException;

/**
 * The local Secrets Manager and Parameter Store through the AWS SDK's own clients, signed as the templates' roles:
 * the seeded keys, version stages across a rotation, decryption, and the local IAM's refusals.
 */
@ExtendWith(LocalCloudExtension.class)
@DisplayName("The local Secrets Manager and SSM Parameter Store")
class LocalSecretsManagerTest {

  private final LocalCloud aws;

  LocalSecretsManagerTest(LocalCloud aws) {
    this.aws = aws;
  }

  @Test
  @DisplayName("verify-otp's role reads the keys secret the operator created, by name and by ARN, as AWSCURRENT")
  void functionReadsTheKeysSecret() {
    try (SecretsManagerClient secrets = secretsManager(aws.principals().function("VerifyOtpFunction")
        .credentialsProvider())) {
      GetSecretValueResponse byName = secrets.getSecretValue(get -> get.secretId("boxoffice/keys"));
      GetSecretValueResponse byArn = secrets.getSecretValue(get -> get.secretId(byName.arn()));

      assertThat(byName.arn()).matches("arn:aws:secretsmanager:us-east-1:000000000000:secret:boxoffice/keys-\\w{6}");
      assertThat(byName.versionStages()).containsExactly("AWSCURRENT");
      assertThat(new JsonObject(byName.secretString()).getString("sessionPrivateKey"))
          .isEqualTo(SessionTokens.privateKeyPem(aws.secrets().sessionKeys().getPrivate()));
      assertThat(byArn.versionId()).isEqualTo(byName.versionId());
    }
  }

  @Test
  @DisplayName("a rotation's new version becomes AWSCURRENT and the former one AWSPREVIOUS, each readable by stage"
      + " and by version id; a retried PutSecretValue with the same token writes nothing")
  void rotationMovesTheStages() {
    String name = "rotation-" + UUID.randomUUID();
    aws.secretStore().createSecret(name, "{\"v\":1}");
    try (SecretsManagerClient admin = secretsManager(LocalPrincipal.admin().credentialsProvider())) {
      String first = admin.getSecretValue(get -> get.secretId(name)).versionId();
      String token = UUID.randomUUID().toString();

      admin.putSecretValue(put -> put.secretId(name).clientRequestToken(token).secretString("{\"v\":2}"));
      admin.putSecretValue(put -> put.secretId(name).clientRequestToken(token).secretString("{\"v\":2}"));

      GetSecretValueResponse current = admin.getSecretValue(get -> get.secretId(name));
      assertThat(current.secretString()).isEqualTo("{\"v\":2}");
      assertThat(current.versionId()).isEqualTo(token);
      assertThat(admin.getSecretValue(get -> get.secretId(name).versionStage("AWSPREVIOUS")).secretString())
          .isEqualTo("{\"v\":1}");
      assertThat(admin.getSecretValue(get -> get.secretId(name).versionId(first)).versionStages())
          .containsExactly("AWSPREVIOUS");
      assertThatThrownBy(() -> admin.putSecretValue(put -> put.secretId(name).clientRequestToken(token)
          .secretString("{\"v\":3}")))
          .isInstanceOfSatisfying(SecretsManagerException.class, refused ->
              assertThat(refused.awsErrorDetails().errorCode()).isEqualTo("ResourceExistsException"));
      assertThatThrownBy(() -> admin.getSecretValue(get -> get.secretId("no-such-secret")))
          .isInstanceOf(ResourceNotFoundException.class);
    }
  }

  @Test
  @DisplayName("a role without the secret in its policy is refused with Secrets Manager's AccessDeniedException and"
      + " AWS's sentence, even for the public key's parameter it has no business reading")
  void otherRolesAreRefused() {
    try (SecretsManagerClient secrets = secretsManager(aws.principals().function("GetQrCodeFunction")
        .credentialsProvider())) {
      assertThatThrownBy(() -> secrets.getSecretValue(get -> get.secretId("boxoffice/keys")))
          .isInstanceOfSatisfying(SecretsManagerException.class, denied -> {
            assertThat(denied.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");
            assertThat(denied.awsErrorDetails().errorMessage()).contains("is not authorized to perform:"
                + " secretsmanager:GetSecretValue on resource: arn:aws:secretsmanager:us-east-1:000000000000:secret:"
                + "boxoffice/keys-");
          });
    }
    try (SsmClient ssm = ssm(aws.principals().function("GetQrCodeFunction").credentialsProvider())) {
      assertThatThrownBy(() -> ssm.getParameter(get -> get.name("/boxoffice/session-public-key")))
          .isInstanceOfSatisfying(SsmException.class, denied ->
              assertThat(denied.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException"));
    }
  }

  @Test
  @DisplayName("the public keys are in the parameters the templates name; a SecureString is plain only with"
      + " decryption, and GetParameters lists the names it did not find")
  void parameters() {
    String secure = "/boxoffice/test/" + UUID.randomUUID();
    try (SsmClient admin = ssm(LocalPrincipal.admin().credentialsProvider())) {
      admin.putParameter(put -> put.name(secure).type(ParameterType.SECURE_STRING).value("s3cret"));

      assertThat(admin.getParameter(get -> get.name("/boxoffice/ticket-public-key")).parameter().value())
          .isEqualTo(SessionTokens.publicKeyPem(aws.secrets().ticketKeys().getPublic()));
      assertThat(admin.getParameter(get -> get.name(secure).withDecryption(true)).parameter().value())
          .isEqualTo("s3cret");
      assertThat(admin.getParameter(get -> get.name(secure)).parameter().value()).isNotEqualTo("s3cret");
      var both = admin.getParameters(get -> get.names(secure, "/boxoffice/missing").withDecryption(true));
      assertThat(both.parameters()).hasSize(1);
      assertThat(both.invalidParameters()).containsExactly("/boxoffice/missing");
      assertThatThrownBy(() -> admin.getParameter(get -> get.name("/boxoffice/missing")))
          .isInstanceOf(ParameterNotFoundException.class);
    }
  }

  private SecretsManagerClient secretsManager(AwsCredentialsProvider credentials) {
    return SecretsManagerClient.builder().region(Region.US_EAST_1).credentialsProvider(credentials)
        .httpClientBuilder(UrlConnectionHttpClient.builder()).endpointOverride(aws.secretsManagerEndpoint()).build();
  }

  private SsmClient ssm(AwsCredentialsProvider credentials) {
    return SsmClient.builder().region(Region.US_EAST_1).credentialsProvider(credentials)
        .httpClientBuilder(UrlConnectionHttpClient.builder()).endpointOverride(aws.secretsManagerEndpoint()).build();
  }
}
