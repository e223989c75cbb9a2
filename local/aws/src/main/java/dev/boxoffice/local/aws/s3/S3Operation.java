package dev.boxoffice.local.aws.s3;

import dev.boxoffice.local.aws.UriEncoding;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a path-style S3 request asks for in IAM's terms: the action S3 authorizes it as and the ARN of the bucket or
 * object it acts on, as S3's "actions, resources and condition keys" table lists them. A CopyObject also reads its
 * source, and a DeleteObjects deletes each key of its body.
 */
record S3Operation(String action, String resourceArn, String bucket, String key) {

  private static final Pattern DELETE_KEY = Pattern.compile("<Key>(.*?)</Key>", Pattern.DOTALL);
  /** Sub-resources of a bucket GET and the action each is authorized as; a plain GET lists objects. */
  private static final Map<String, String> BUCKET_READS = Map.ofEntries(
      Map.entry("uploads", "s3:ListBucketMultipartUploads"),
      Map.entry("versions", "s3:ListBucketVersions"),
      Map.entry("location", "s3:GetBucketLocation"),
      Map.entry("acl", "s3:GetBucketAcl"),
      Map.entry("cors", "s3:GetBucketCORS"),
      Map.entry("policy", "s3:GetBucketPolicy"),
      Map.entry("versioning", "s3:GetBucketVersioning"),
      Map.entry("lifecycle", "s3:GetLifecycleConfiguration"),
      Map.entry("tagging", "s3:GetBucketTagging"),
      Map.entry("encryption", "s3:GetEncryptionConfiguration"),
      Map.entry("ownershipControls", "s3:GetBucketOwnershipControls"),
      Map.entry("publicAccessBlock", "s3:GetBucketPublicAccessBlock"));
  private static final Set<String> SIGNATURE_PARAMETERS = SigV4.PRESIGN_PARAMETERS;

  static S3Operation of(HttpServerRequest request, String bucket, String key, Map<String, List<String>> query) {
    Set<String> subresources = new java.util.HashSet<>(query.keySet());
    subresources.removeAll(SIGNATURE_PARAMETERS);
    if (bucket.isEmpty()) {
      return new S3Operation("s3:ListAllMyBuckets", "*", bucket, key);
    }
    String bucketArn = "arn:aws:s3:::" + bucket;
    if (key.isEmpty()) {
      return new S3Operation(bucketAction(request.method(), subresources), bucketArn, bucket, key);
    }
    return new S3Operation(objectAction(request, subresources), bucketArn + "/" + key, bucket, key);
  }

  private static String bucketAction(HttpMethod method, Set<String> subresources) {
    if (method == HttpMethod.GET) {
      return subresources.stream().filter(BUCKET_READS::containsKey).findFirst().map(BUCKET_READS::get)
          .orElse("s3:ListBucket");
    }
    if (method == HttpMethod.HEAD) {
      return "s3:ListBucket";
    }
    if (method == HttpMethod.PUT) {
      return subresources.isEmpty() ? "s3:CreateBucket" : "s3:PutBucket" + capitalized(subresources);
    }
    if (method == HttpMethod.DELETE) {
      return subresources.isEmpty() ? "s3:DeleteBucket" : "s3:DeleteBucket" + capitalized(subresources);
    }
    if (method == HttpMethod.POST && subresources.contains("delete")) {
      return "s3:DeleteObject";
    }
    return "s3:" + method.name();
  }

  private static String objectAction(HttpServerRequest request, Set<String> subresources) {
    HttpMethod method = request.method();
    if (method == HttpMethod.GET || method == HttpMethod.HEAD) {
      if (subresources.contains("uploadId")) {
        return "s3:ListMultipartUploadParts";
      }
      if (subresources.contains("acl")) {
        return "s3:GetObjectAcl";
      }
      if (subresources.contains("tagging")) {
        return "s3:GetObjectTagging";
      }
      return subresources.contains("versionId") ? "s3:GetObjectVersion" : "s3:GetObject";
    }
    if (method == HttpMethod.PUT) {
      if (subresources.contains("acl")) {
        return "s3:PutObjectAcl";
      }
      return subresources.contains("tagging") ? "s3:PutObjectTagging" : "s3:PutObject";
    }
    if (method == HttpMethod.DELETE) {
      if (subresources.contains("uploadId")) {
        return "s3:AbortMultipartUpload";
      }
      if (subresources.contains("tagging")) {
        return "s3:DeleteObjectTagging";
      }
      return subresources.contains("versionId") ? "s3:DeleteObjectVersion" : "s3:DeleteObject";
    }
    return "s3:PutObject";
  }

  private static String capitalized(Set<String> subresources) {
    String first = subresources.iterator().next();
    return Character.toUpperCase(first.charAt(0)) + first.substring(1);
  }

  /** S3's condition keys of the request: {@code s3:prefix} of a listing (empty when it names none). */
  Map<String, String> conditionKeys(Map<String, List<String>> query) {
    if (!action.equals("s3:ListBucket") || !key.isEmpty()) {
      return Map.of();
    }
    return Map.of("s3:prefix", query.containsKey("prefix") ? UriEncoding.first(query, "prefix") : "");
  }

  /** A GetObject or HeadObject: S3 hides whether its key exists from a caller without s3:ListBucket. */
  boolean readsObject() {
    return action.equals("s3:GetObject") || action.equals("s3:GetObjectVersion");
  }

  boolean deletesObjects() {
    return key.isEmpty() && action.equals("s3:DeleteObject");
  }

  String bucketArn() {
    return "arn:aws:s3:::" + bucket;
  }

  /** The object ARN a CopyObject reads, from its {@code x-amz-copy-source} ({@code bucket/key[?versionId=...]}). */
  static String copySourceArn(String copySource) {
    String source = UriEncoding.decode(copySource.split("\\?", 2)[0]);
    return "arn:aws:s3:::" + (source.startsWith("/") ? source.substring(1) : source);
  }

  /** The object ARNs a DeleteObjects body names. */
  List<String> deletedObjectArns(Buffer body) {
    List<String> arns = new ArrayList<>();
    Matcher keys = DELETE_KEY.matcher(body.toString());
    while (keys.find()) {
      String deleted = keys.group(1).replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
          .replace("&apos;", "'").replace("&amp;", "&");
      arns.add(bucketArn() + "/" + deleted);
    }
    return arns;
  }
}
