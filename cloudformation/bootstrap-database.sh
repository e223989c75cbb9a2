#!/usr/bin/env bash
# Creates, or brings up to date, the PostgreSQL users of the data stack with the passwords of their secrets, by
# running bootstrap-database.sql (beside this script) as the master user:
# - DatabaseOwnerUser (secret DatabaseOwnerCredentials): owner of the schema and its objects, as whom the backend runs
#   its migrations; without rds_superuser, CREATEROLE or CREATEDB;
# - DatabaseAppUser (secret DatabaseAppCredentials): the login the backend serves as, a member of boxoffice_app, which
#   reads and writes data and changes no schema (migration V16).
# The master user, whose secret RDS keeps and no task may read, is used here only. Idempotent: deploy.sh runs it on a
# stack's first deployment, and an operator runs it again after changing a password in its secret
# (docs/operations.md). The local stack runs the same SQL in its embedded PostgreSQL.
#
#   cloudformation/bootstrap-database.sh [stack-name]
#
# PostgreSQL is in private subnets: the script reaches it through an SSH tunnel via the stack's bastion, which EC2
# Instance Connect opens with a one-time key (from an address in the stack's AdminCidr). Needs the AWS CLI v2, jq,
# ssh, curl and psql 15 or newer (postgresql-client); passwords go through the environment, never a command line.
set -euo pipefail

STACK="${1:-boxoffice}"
WORK="$(mktemp -d)"
TUNNEL="$WORK/tunnel"
cleanup() {
  [[ -S "$TUNNEL" ]] && ssh -S "$TUNNEL" -O exit bastion >/dev/null 2>&1
  rm -rf "$WORK"
}
trap cleanup EXIT

nested_stack() {
  aws cloudformation describe-stack-resource --stack-name "$STACK" --logical-resource-id "$1" \
    --query StackResourceDetail.PhysicalResourceId --output text
}
output_of() {
  aws cloudformation describe-stacks --stack-name "$1" \
    --query "Stacks[0].Outputs[?OutputKey=='$2'].OutputValue" --output text
}
secret_field() {
  aws secretsmanager get-secret-value --secret-id "$1" --query SecretString --output text | jq -r ".$2"
}

DATA_STACK="$(nested_stack DataStack)"
DB_HOST="$(output_of "$DATA_STACK" DatabaseHost)"
DB_PORT="$(output_of "$DATA_STACK" DatabasePort)"
DB_NAME="$(output_of "$DATA_STACK" DatabaseName)"
MASTER_SECRET="$(output_of "$DATA_STACK" DatabaseMasterCredentialsArn)"
APP_SECRET="$(output_of "$DATA_STACK" DatabaseCredentialsArn)"
BASTION_ID="$(output_of "$STACK" BastionInstanceId)"
BASTION_HOST="$(output_of "$STACK" BastionPublicDnsName)"

ssh-keygen -q -t ed25519 -N "" -f "$WORK/key"
aws ec2-instance-connect send-ssh-public-key --instance-id "$BASTION_ID" --instance-os-user ec2-user \
  --ssh-public-key "file://$WORK/key.pub" >/dev/null
LOCAL_PORT=15439
ssh -i "$WORK/key" -o StrictHostKeyChecking=accept-new -o UserKnownHostsFile="$WORK/known_hosts" \
  -o ExitOnForwardFailure=yes -M -S "$TUNNEL" -f -N -L "$LOCAL_PORT:$DB_HOST:$DB_PORT" "ec2-user@$BASTION_HOST"

# Through the tunnel the host name is 127.0.0.1, so the certificate's chain is verified but not its name.
curl -fsS -o "$WORK/rds-ca-bundle.pem" https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem

OWNER_SECRET="$(output_of "$DATA_STACK" DatabaseOwnerCredentialsArn)"
# The passwords go to psql through its environment and to the server as session settings of a SELECT, so that no
# statement that a log_statement of ddl (or mod) would write carries them.
PGPASSWORD="$(secret_field "$MASTER_SECRET" password)" \
OWNER_USER="$(secret_field "$OWNER_SECRET" username)" \
OWNER_PASSWORD="$(secret_field "$OWNER_SECRET" password)" \
APP_USER="$(secret_field "$APP_SECRET" username)" \
APP_PASSWORD="$(secret_field "$APP_SECRET" password)" \
psql "host=127.0.0.1 port=$LOCAL_PORT dbname=$DB_NAME user=$(secret_field "$MASTER_SECRET" username) sslmode=verify-ca sslrootcert=$WORK/rds-ca-bundle.pem" \
  --no-psqlrc --quiet --set ON_ERROR_STOP=1 --set bootstrap_sql="$(dirname "$0")/bootstrap-database.sql" <<'SQL'
SET client_min_messages = warning;
\getenv owner_user OWNER_USER
\getenv owner_password OWNER_PASSWORD
\getenv app_user APP_USER
\getenv app_password APP_PASSWORD
SELECT set_config('boxoffice.owner_user', :'owner_user', false),
       set_config('boxoffice.owner_password', :'owner_password', false),
       set_config('boxoffice.app_user', :'app_user', false),
       set_config('boxoffice.app_password', :'app_password', false) \g /dev/null
\i :bootstrap_sql
SQL
echo "PostgreSQL users $(secret_field "$OWNER_SECRET" username) (owner) and $(secret_field "$APP_SECRET" username) are ready on $DB_HOST."
