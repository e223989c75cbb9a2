#!/usr/bin/env bash
# Creates, or brings up to date, the PostgreSQL user the backend connects as: the data stack's DatabaseAppUser with
# the password of its DatabaseAppCredentials secret, owner of the database's objects (its migrations create and alter
# them) but without rds_superuser, CREATEROLE or CREATEDB. The master user, whose secret RDS keeps and no task may
# read, is used here only. Idempotent: deploy.sh runs it on a stack's first deployment, and an operator runs it again
# after changing the application user's password in its secret (docs/operations.md).
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

PGPASSWORD="$(secret_field "$MASTER_SECRET" password)" \
APP_USER="$(secret_field "$APP_SECRET" username)" \
APP_PASSWORD="$(secret_field "$APP_SECRET" password)" \
psql "host=127.0.0.1 port=$LOCAL_PORT dbname=$DB_NAME user=$(secret_field "$MASTER_SECRET" username) sslmode=verify-ca sslrootcert=$WORK/rds-ca-bundle.pem" \
  --no-psqlrc --quiet --set ON_ERROR_STOP=1 <<'SQL'
SET client_min_messages = warning;
\getenv app_user APP_USER
\getenv app_password APP_PASSWORD
SELECT format('CREATE ROLE %I LOGIN', :'app_user')
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'app_user') \gexec
SELECT format('ALTER ROLE %I WITH LOGIN NOCREATEDB NOCREATEROLE PASSWORD %L',
              :'app_user', :'app_password') \gexec
SELECT format('GRANT CONNECT, CREATE, TEMPORARY ON DATABASE %I TO %I', current_database(), :'app_user') \gexec
-- RDS's master user is no superuser: it hands objects over only to a role it belongs to.
SELECT format('GRANT %I TO %I', :'app_user', current_user) \gexec
SELECT format('ALTER SCHEMA public OWNER TO %I', :'app_user') \gexec
-- A database the backend migrated as the master user before this script existed: its objects change hands.
SELECT format('ALTER TABLE public.%I OWNER TO %I', tablename, :'app_user')
  FROM pg_tables WHERE schemaname = 'public' AND tableowner = current_user \gexec
SELECT format('ALTER SEQUENCE public.%I OWNER TO %I', sequencename, :'app_user')
  FROM pg_sequences WHERE schemaname = 'public' AND sequenceowner = current_user \gexec
SELECT format('ALTER VIEW public.%I OWNER TO %I', viewname, :'app_user')
  FROM pg_views WHERE schemaname = 'public' AND viewowner = current_user \gexec
SELECT format('ALTER ROUTINE public.%I(%s) OWNER TO %I', p.proname, pg_get_function_identity_arguments(p.oid),
              :'app_user')
  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
 WHERE n.nspname = 'public' AND p.proowner = (SELECT oid FROM pg_roles WHERE rolname = current_user)
   AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e') \gexec
SQL
echo "PostgreSQL user $(secret_field "$APP_SECRET" username) is ready on $DB_HOST."
