package dev.boxoffice.local.aws.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.boxoffice.local.aws.LocalCredentials;
import dev.boxoffice.local.aws.cloudformation.CloudFormationTemplate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("The local IAM's policy evaluation")
class LocalIamTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ROLE = "arn:aws:iam::000000000000:role/worker";
  private static final String BUCKET = "arn:aws:s3:::media";

  @Test
  @DisplayName("an action is allowed only where a statement's Action and Resource match, with IAM's wildcards; "
      + "actions compare case-insensitively, ARNs exactly")
  void wildcards() throws Exception {
    LocalIam iam = iamWith("""
        {"Statement":[{"Effect":"Allow","Action":["s3:Get*","sns:publish"],
          "Resource":["arn:aws:s3:::media/tickets/*","arn:aws:sns:us-east-1:000000000000:topic-?"]}]}""");
    Principal worker = iam.session(ROLE);

    assertThat(iam.authorize(worker, "s3:GetObject", BUCKET + "/tickets/a/b.png").allowed()).isTrue();
    assertThat(iam.authorize(worker, "S3:GETOBJECT", BUCKET + "/tickets/a.png").allowed()).isTrue();
    assertThat(iam.authorize(worker, "s3:PutObject", BUCKET + "/tickets/a.png").allowed()).isFalse();
    assertThat(iam.authorize(worker, "s3:GetObject", BUCKET + "/Tickets/a.png").allowed()).isFalse();
    assertThat(iam.authorize(worker, "SNS:Publish", "arn:aws:sns:us-east-1:000000000000:topic-1").allowed()).isTrue();
    assertThat(iam.authorize(worker, "SNS:Publish", "arn:aws:sns:us-east-1:000000000000:topic-12").allowed())
        .isFalse();
  }

  @Test
  @DisplayName("an explicit Deny wins over any Allow, NotAction and NotResource cover everything but what they "
      + "list, and the refusal says why in AWS's words")
  void denyWinsAndNegations() throws Exception {
    LocalIam iam = iamWith("""
        {"Statement":[
          {"Effect":"Allow","NotAction":"s3:DeleteObject","Resource":"*"},
          {"Effect":"Deny","Action":"s3:PutObject","NotResource":"arn:aws:s3:::media/uploads/*"}]}""");
    Principal worker = iam.session(ROLE);

    assertThat(iam.authorize(worker, "s3:PutObject", BUCKET + "/uploads/x").allowed()).isTrue();
    Decision denied = iam.authorize(worker, "s3:PutObject", BUCKET + "/events/x");
    assertThat(denied.allowed()).isFalse();
    assertThat(denied.message()).isEqualTo("User: arn:aws:sts::000000000000:assumed-role/worker/test is not "
        + "authorized to perform: s3:PutObject on resource: arn:aws:s3:::media/events/x with an explicit deny in "
        + "an identity-based policy");
    Decision implicit = iam.authorize(worker, "s3:DeleteObject", BUCKET + "/uploads/x");
    assertThat(implicit.message(true)).isEqualTo("User: arn:aws:sts::000000000000:assumed-role/worker/test is not "
        + "authorized to perform: s3:DeleteObject on resource: \"arn:aws:s3:::media/uploads/x\" because no "
        + "identity-based policy allows the s3:DeleteObject action");
  }

  @Test
  @DisplayName("conditions: StringLikeIfExists holds without its key, Bool and Null compare the request's keys, "
      + "and a condition operator the local IAM does not know fails the policy when it is read")
  void conditions() throws Exception {
    LocalIam iam = iamWith("""
        {"Statement":[
          {"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::media",
           "Condition":{"StringLikeIfExists":{"s3:prefix":"tickets/*"}}},
          {"Effect":"Allow","Action":"s3:GetObject","Resource":"*",
           "Condition":{"Bool":{"aws:SecureTransport":"true"},"Null":{"aws:SourceArn":"true"}}}]}""");
    Principal worker = iam.session(ROLE);

    assertThat(iam.authorize(worker, "s3:ListBucket", BUCKET).allowed()).isTrue();
    assertThat(iam.authorize(worker, "s3:ListBucket", BUCKET, Map.of("s3:prefix", "tickets/")).allowed()).isTrue();
    assertThat(iam.authorize(worker, "s3:ListBucket", BUCKET, Map.of("s3:prefix", "events/")).allowed()).isFalse();
    assertThat(iam.authorize(worker, "s3:GetObject", BUCKET + "/x").allowed()).isTrue();
    assertThatThrownBy(() -> iamWith("""
        {"Statement":{"Effect":"Allow","Action":"*","Resource":"*",
          "Condition":{"DateGreaterThan":{"aws:CurrentTime":"2030-01-01T00:00:00Z"}}}}"""))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("DateGreaterThan");
  }

  @Test
  @DisplayName("from a template: inline, attached and AWS managed policies; a bucket policy lets a service principal "
      + "in and denies what it names; a Lambda permission lets its service invoke for its source only")
  void fromTemplate(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("serverless.yaml"), """
        Resources:
          Media:
            Type: AWS::S3::Bucket
            Properties: {BucketName: media}
          MediaPolicy:
            Type: AWS::S3::BucketPolicy
            Properties:
              Bucket: !Ref Media
              PolicyDocument:
                Statement:
                  - Effect: Allow
                    Principal: {Service: cloudfront.amazonaws.com}
                    Action: s3:GetObject
                    Resource: !Sub "${Media.Arn}/public/*"
                    Condition:
                      StringEquals:
                        AWS:SourceArn: !Sub "arn:aws:cloudfront::${AWS::AccountId}:distribution/${Cdn}"
                  - Effect: Deny
                    Principal: "*"
                    Action: s3:DeleteObject
                    Resource: !Sub "${Media.Arn}/*"
          Cdn:
            Type: AWS::CloudFront::Distribution
            Properties: {}
          WorkerRole:
            Type: AWS::IAM::Role
            Properties:
              ManagedPolicyArns: [arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]
              Policies:
                - PolicyName: inline
                  PolicyDocument:
                    Statement: {Effect: Allow, Action: ["s3:DeleteObject", "s3:PutObject"], Resource: "*"}
          Attached:
            Type: AWS::IAM::Policy
            Properties:
              PolicyName: attached
              Roles: [!Ref WorkerRole]
              PolicyDocument:
                Statement: {Effect: Allow, Action: lambda:InvokeFunction, Resource: !GetAtt Worker.Arn}
          Worker:
            Type: AWS::Lambda::Function
            Properties:
              FunctionName: worker
              Handler: com.example.Worker
              Role: !GetAtt WorkerRole.Arn
          FromApi:
            Type: AWS::Lambda::Permission
            Properties:
              Action: lambda:InvokeFunction
              FunctionName: !Ref Worker
              Principal: apigateway.amazonaws.com
              SourceArn: arn:aws:execute-api:us-east-1:000000000000:api/*/POST/work
        """);
    TemplateIam loaded = TemplateIam.load(CloudFormationTemplate.load(file), LocalCredentials.ADMINISTRATOR, true);
    LocalIam iam = loaded.iam();
    Principal worker = iam.session("arn:aws:iam::000000000000:role/boxoffice-WorkerRole");
    Principal cdn = loaded.cloudFront().orElseThrow();
    String function = "arn:aws:lambda:us-east-1:000000000000:function:worker";

    assertThat(worker.arn()).isEqualTo("arn:aws:sts::000000000000:assumed-role/boxoffice-WorkerRole/worker");
    assertThat(iam.authorize(worker, "logs:PutLogEvents", "arn:aws:logs:us-east-1:000000000000:log-group:x")
        .allowed()).isTrue();
    assertThat(iam.authorize(worker, "s3:PutObject", "arn:aws:s3:::media/a").allowed()).isTrue();
    assertThat(iam.authorize(worker, "lambda:InvokeFunction", function).allowed()).isTrue();
    Decision deleting = iam.authorize(worker, "s3:DeleteObject", "arn:aws:s3:::media/a");
    assertThat(deleting.allowed()).isFalse();
    assertThat(deleting.reason()).isEqualTo(Decision.Reason.RESOURCE_DENY);
    assertThat(iam.authorize(cdn, "s3:GetObject", "arn:aws:s3:::media/public/poster.jpg").allowed()).isTrue();
    assertThat(iam.authorize(cdn, "s3:GetObject", "arn:aws:s3:::media/private/key").reason())
        .isEqualTo(Decision.Reason.NO_RESOURCE_ALLOW);
    assertThat(iam.authorize(iam.serviceCall("apigateway.amazonaws.com",
        "arn:aws:execute-api:us-east-1:000000000000:api/prod/POST/work"), "lambda:InvokeFunction", function).allowed())
        .isTrue();
    assertThat(iam.authorize(iam.serviceCall("apigateway.amazonaws.com",
        "arn:aws:execute-api:us-east-1:000000000000:api/prod/GET/other"), "lambda:InvokeFunction", function).allowed())
        .isFalse();
    assertThat(iam.authorize(iam.administrator(), "s3:DeleteObject", "arn:aws:s3:::media/a").allowed()).isTrue();
  }

  @Test
  @DisplayName("a managed policy the local IAM does not know fails the start, naming it")
  void unknownManagedPolicy(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("serverless.yaml"), """
        Resources:
          WorkerRole:
            Type: AWS::IAM::Role
            Properties:
              ManagedPolicyArns: [arn:aws:iam::aws:policy/AdministratorAccess]
          Worker:
            Type: AWS::Lambda::Function
            Properties: {FunctionName: worker, Handler: com.example.Worker, Role: !GetAtt WorkerRole.Arn}
        """);
    assertThatThrownBy(() -> TemplateIam.load(CloudFormationTemplate.load(file), LocalCredentials.ADMINISTRATOR,
        true)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("AdministratorAccess");
  }

  @Test
  @DisplayName("with enforcement off every known key may do everything")
  void enforcementOff() throws Exception {
    LocalIam iam = LocalIam.builder("000000000000", "us-east-1", LocalCredentials.ADMINISTRATOR, false)
        .role(ROLE, "test", JSON.readTree("{\"Statement\":[]}")).build();

    assertThat(iam.authorize(iam.session(ROLE), "s3:DeleteBucket", BUCKET).allowed()).isTrue();
  }

  private static LocalIam iamWith(String policy) throws IOException {
    JsonNode document = JSON.readTree(policy);
    return LocalIam.builder("000000000000", "us-east-1", LocalCredentials.ADMINISTRATOR, true)
        .role(ROLE, "test", document).build();
  }
}
