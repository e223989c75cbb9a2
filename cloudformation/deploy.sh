#!/usr/bin/env bash
# Deploys Boxoffice in one operation to the account and region of the current AWS CLI profile: builds the backend
# and the Lambda jar, pushes the backend image to the stack's ECR repository, packages the nested templates (`aws
# cloudformation package` uploads them, the Lambda jar and the state machine definitions, and rewrites their
# TemplateURL, Code and DefinitionS3Location) and deploys the root stack. Needs the AWS CLI v2, Docker, a JDK 21, Maven
# and an S3 bucket for the packaged artifacts; it is not run by the tests, which have no AWS account. Before the first
# deployment create the session public key parameter and the keys secret as serverless.yaml's KeysSecretArn describes,
# and the ACM certificate of the public hostname (docs/operations.md, "Deploy"). The first deployment also creates the
# database's owner and application user with bootstrap-database.sh (which needs ssh, jq and psql 15+ as well).
#
#   ARTIFACT_BUCKET=my-artifacts ADMIN_CIDR=203.0.113.7/32 DOMAIN=tickets.example.com \
#   CERTIFICATE_ARN=arn:aws:acm:... cloudformation/deploy.sh [stack-name] [Key=Value ...]
#
# Extra Key=Value arguments are passed to the root stack (e.g. AlarmEmail=ops@example.com FrontendMinimumTasks=8).
set -euo pipefail

STACK="${1:-boxoffice}"
shift $(( $# > 0 ? 1 : 0 ))
: "${ARTIFACT_BUCKET:?set ARTIFACT_BUCKET to the S3 bucket that receives the packaged templates}"
: "${ADMIN_CIDR:?set ADMIN_CIDR to the CIDR allowed to reach the bastion over SSH}"
: "${DOMAIN:?set DOMAIN to the public hostname of the site, e.g. tickets.example.com}"
: "${CERTIFICATE_ARN:?set CERTIFICATE_ARN to the ACM certificate of DOMAIN in this region}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PACKAGED="$(mktemp)"
trap 'rm -f "$PACKAGED"' EXIT

# Tags are immutable in the repository, so an uncommitted tree gets a tag of its own.
IMAGE_TAG="$(git -C "$ROOT" rev-parse --short=12 HEAD)"
[[ -z "$(git -C "$ROOT" status --porcelain)" ]] || IMAGE_TAG="$IMAGE_TAG-dirty-$(date -u +%Y%m%d%H%M%S)"

package_and_deploy() {
  aws cloudformation package --template-file "$ROOT/cloudformation/boxoffice.yaml" \
    --s3-bucket "$ARTIFACT_BUCKET" --s3-prefix "$STACK" --output-template-file "$PACKAGED"
  aws cloudformation deploy --template-file "$PACKAGED" --stack-name "$STACK" \
    --s3-bucket "$ARTIFACT_BUCKET" --s3-prefix "$STACK" \
    --capabilities CAPABILITY_IAM CAPABILITY_NAMED_IAM --no-fail-on-empty-changeset \
    --parameter-overrides AdminCidr="$ADMIN_CIDR" FrontendDomainName="$DOMAIN" FrontendCertificateArn="$CERTIFICATE_ARN" "$@"
}

stack_output() {
  aws cloudformation describe-stacks --stack-name "$STACK" \
    --query "Stacks[0].Outputs[?OutputKey=='$1'].OutputValue" --output text
}

"$ROOT/boxoffice" build
LAMBDA_JAR="$ROOT/lambdas/target/boxoffice-lambdas.jar"
[[ -f "$LAMBDA_JAR" ]] || { echo "deploy.sh: the build left no $LAMBDA_JAR for the Lambda functions" >&2; exit 1; }

# Autoscaling owns the task counts between deployments: a deployment keeps the running count (2 after the first
# deployment's 0), so one made during a rush scales nothing in.
running_tasks() {
  local count
  count="$(aws ecs describe-services --cluster "$(stack_output ClusterName)" --services "$(stack_output "$1")" \
    --query 'services[0].desiredCount' --output text)"
  echo $(( count > 0 ? count : 2 ))
}

# The ECR repository belongs to the stack, so the first deployment creates everything with no task running yet; the
# database's owner and application user are created before the image pushed below is rolled out by the deployment that follows.
FIRST_DEPLOYMENT=false
if ! aws cloudformation describe-stacks --stack-name "$STACK" >/dev/null 2>&1; then
  package_and_deploy ImageTag=bootstrap FrontendDesiredCount=0 BackendDesiredCount=0 "$@"
  FIRST_DEPLOYMENT=true
fi

REPOSITORY_URI="$(stack_output RepositoryUri)"
if ! aws ecr describe-images --repository-name "${REPOSITORY_URI#*/}" --image-ids imageTag="$IMAGE_TAG" >/dev/null 2>&1; then
  aws ecr get-login-password | docker login --username AWS --password-stdin "${REPOSITORY_URI%%/*}"
  docker build --platform linux/amd64 -f "$ROOT/verticles/Dockerfile" -t "$REPOSITORY_URI:$IMAGE_TAG" "$ROOT"
  docker push "$REPOSITORY_URI:$IMAGE_TAG"
fi

if [[ "$FIRST_DEPLOYMENT" == true ]]; then
  "$ROOT/cloudformation/bootstrap-database.sh" "$STACK"
fi

package_and_deploy ImageTag="$IMAGE_TAG" \
  FrontendDesiredCount="${FRONTEND_TASKS:-$(running_tasks FrontendServiceName)}" \
  BackendDesiredCount="${BACKEND_TASKS:-$(running_tasks BackendServiceName)}" "$@"

echo "Frontend: $(stack_output FrontendUrl)"
echo "API:      $(stack_output ApiEndpoint)"
echo "Point $DOMAIN at $(stack_output FrontendLoadBalancerDnsName) (CNAME or Route 53 alias) if not done yet."
echo "Dashboard: $(stack_output DashboardUrl)"
