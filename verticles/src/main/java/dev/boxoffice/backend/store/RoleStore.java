package dev.boxoffice.backend.store;

import dev.boxoffice.backend.auth.DoorScope;
import dev.boxoffice.backend.auth.TeamRoles;
import dev.boxoffice.backend.db.TimeOrderedIds;
import dev.boxoffice.backend.model.Refusal;
import dev.boxoffice.backend.model.RoleAuditEntry;
import dev.boxoffice.backend.model.RoleGrant;
import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The grants of organizer and door-staff roles and their audit trail. Every change is one statement that changes the
 * grant, writes its audit row and, when the active grants change, bumps {@code role_grants_version}: nothing is
 * half-written, and a backend's reload sees a version and the grants of that version together.
 */
public final class RoleStore {

  /** Answers only the version when the caller's copy is at it: an unchanged reload reads one row. */
  static final String ACTIVE_SINCE = "SELECT v.version, g.email, g.role, g.organizer_email, g.event_id, g.state"
      + " FROM role_grants_version v LEFT JOIN role_grants g ON v.version <> $1 AND g.state IN ('active', 'invited')";
  private static final String GRANT_COLUMNS = "g.id, g.email, g.role, g.organizer_email, g.event_id, g.state,"
      + " g.created_by, g.created_at, g.changed_at";
  /** Appended to a {@code changed} CTE of updated or inserted grants: the audit rows and, if asked, the version. */
  private static final String AUDIT_AND_BUMP = ", audited AS (INSERT INTO role_audit"
      + " (actor, action, grant_id, email, role, organizer_email, event_id)"
      + " SELECT $1, $2, id, email, role, organizer_email, event_id FROM changed),"
      + " bumped AS (UPDATE role_grants_version SET version = version + 1"
      + " WHERE $3 AND EXISTS (SELECT 1 FROM changed))"
      + " SELECT changed.*, e.title AS event_title FROM changed LEFT JOIN events e ON e.id = changed.event_id";
  private static final String REQUEST = "WITH changed AS (INSERT INTO role_grants"
      + " (id, email, role, state, created_by) VALUES ($4, $1, 'organizer', 'requested', $1) RETURNING *)"
      + AUDIT_AND_BUMP;
  private static final String DECIDE = "WITH changed AS (UPDATE role_grants SET state = $5, changed_at = now()"
      + " WHERE id = $4 AND role = 'organizer' AND state = $6 RETURNING *)" + AUDIT_AND_BUMP;
  private static final String INVITE = "WITH changed AS (INSERT INTO role_grants"
      + " (id, email, role, organizer_email, event_id, state, created_by)"
      + " SELECT $4, $5, 'staff', $1, $6, 'invited', $1"
      + " WHERE $6::uuid IS NULL OR EXISTS (SELECT 1 FROM events WHERE id = $6 AND organizer_email = $1)"
      + " RETURNING *)" + AUDIT_AND_BUMP;
  private static final String ACCEPT = "WITH changed AS (UPDATE role_grants SET state = 'active', changed_at = now()"
      + " WHERE email = $1 AND state = 'invited' RETURNING *)" + AUDIT_AND_BUMP;
  private static final String REVOKE_STAFF = "WITH changed AS (UPDATE role_grants SET state = 'revoked',"
      + " changed_at = now() WHERE id = $4 AND role = 'staff' AND organizer_email = $1"
      + " AND state IN ('invited', 'active') RETURNING *)" + AUDIT_AND_BUMP;
  private static final String BOOTSTRAP_ORGANIZER = "WITH changed AS (INSERT INTO role_grants"
      + " (id, email, role, state, created_by) SELECT $4, $5, 'organizer', 'active', $1"
      + " WHERE NOT EXISTS (SELECT 1 FROM role_grants WHERE email = $5 AND role = 'organizer') RETURNING *)"
      + AUDIT_AND_BUMP;
  private static final String BOOTSTRAP_STAFF = "WITH changed AS (INSERT INTO role_grants"
      + " (id, email, role, organizer_email, state, created_by) SELECT $4, $5, 'staff', $6, 'active', $1"
      + " WHERE NOT EXISTS (SELECT 1 FROM role_grants WHERE email = $5 AND role = 'staff' AND organizer_email = $6"
      + " AND event_id IS NULL) RETURNING *)" + AUDIT_AND_BUMP;
  /** Two backends starting together bootstrap one after the other, so neither inserts what the other did. */
  private static final String BOOTSTRAP_LOCK = "SELECT pg_advisory_xact_lock(hashtext('role_grants bootstrap'))";
  private static final String TEAM = "SELECT " + GRANT_COLUMNS + ", e.title AS event_title FROM role_grants g"
      + " LEFT JOIN events e ON e.id = g.event_id"
      + " WHERE g.organizer_email = $1 AND g.state IN ('invited', 'active') ORDER BY g.created_at, g.id";
  private static final String ORGANIZER_GRANTS = "SELECT " + GRANT_COLUMNS + ", NULL AS event_title"
      + " FROM role_grants g WHERE g.role = 'organizer' AND g.state IN ('requested', 'active')"
      + " ORDER BY g.state DESC, g.created_at, g.id";
  private static final String GRANTS_OF = "SELECT " + GRANT_COLUMNS + ", e.title AS event_title FROM role_grants g"
      + " LEFT JOIN events e ON e.id = g.event_id WHERE g.email = $1 ORDER BY g.created_at DESC, g.id LIMIT 200";
  private static final String TEAM_AUDIT = "SELECT * FROM role_audit WHERE organizer_email = $1"
      + " ORDER BY id DESC LIMIT $2";
  private static final String ORGANIZER_AUDIT = "SELECT * FROM role_audit WHERE role = 'organizer'"
      + " ORDER BY id DESC LIMIT $1";
  private static final String UNIQUE_VIOLATION = "23505";

  private final Pool pool;

  public RoleStore(Pool pool) {
    this.pool = pool;
  }

  /** The active grants, or nothing when {@code knownVersion} is still the current one. */
  public Future<Optional<TeamRoles>> activeSince(long knownVersion) {
    return pool.preparedQuery(ACTIVE_SINCE).execute(Tuple.of(knownVersion)).map(rows -> {
      long version = rows.iterator().next().getLong("version");
      return version == knownVersion ? Optional.empty() : Optional.of(teamRoles(version, rows));
    });
  }

  private static TeamRoles teamRoles(long version, RowSet<Row> rows) {
    Set<String> organizers = new HashSet<>();
    Map<String, Set<String>> staffOf = new HashMap<>();
    Map<String, Set<UUID>> staffAt = new HashMap<>();
    Set<String> invited = new HashSet<>();
    for (Row row : rows) {
      String email = row.getString("email");
      if (email == null) {
        continue; // the left join's one row when nothing is active
      }
      if ("invited".equals(row.getString("state"))) {
        invited.add(email);
      } else if (RoleGrant.ORGANIZER.equals(row.getString("role"))) {
        organizers.add(email);
      } else if (row.getUUID("event_id") == null) {
        staffOf.computeIfAbsent(email, ignored -> new HashSet<>()).add(row.getString("organizer_email"));
      } else {
        staffAt.computeIfAbsent(email, ignored -> new HashSet<>()).add(row.getUUID("event_id"));
      }
    }
    Set<String> staff = new HashSet<>(staffOf.keySet());
    staff.addAll(staffAt.keySet());
    Map<String, DoorScope> doorStaff = new HashMap<>();
    staff.forEach(email -> doorStaff.put(email, new DoorScope(staffOf.getOrDefault(email, Set.of()),
        staffAt.getOrDefault(email, Set.of()))));
    return new TeamRoles(version, organizers, doorStaff, invited);
  }

  /** A buyer asks to organize; a live request or an active grant of theirs is a conflict. */
  public Future<RoleGrant> requestOrganizer(String email) {
    return change(pool, REQUEST, email, "request", false, Tuple.tuple().addValue(TimeOrderedIds.next()))
        .recover(failure -> failure instanceof PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState())
            ? Future.failedFuture(new Refusal.AlreadyGranted("You organize already, or your request is waiting"))
            : Future.failedFuture(failure))
        .map(List::getFirst);
  }

  /** An administrator approves a pending request ({@code approve}) or refuses it. */
  public Future<RoleGrant> decide(String administrator, UUID grantId, boolean approve) {
    return change(pool, DECIDE, administrator, approve ? "approve" : "refuse", approve,
        Tuple.tuple().addValue(grantId).addValue(approve ? "active" : "refused").addValue("requested"))
        .compose(changed -> one(changed, "No pending request " + grantId));
  }

  /** An administrator revokes an organizer; their events stay, and are theirs to see again if re-approved. */
  public Future<RoleGrant> revokeOrganizer(String administrator, UUID grantId) {
    return change(pool, DECIDE, administrator, "revoke", true,
        Tuple.tuple().addValue(grantId).addValue("revoked").addValue("active"))
        .compose(changed -> one(changed, "No active organizer grant " + grantId));
  }

  /**
   * An organizer invites door staff for one of their events, or all of them ({@code eventId} empty). The version moves
   * too: the backends' copies know who has an invitation waiting.
   */
  public Future<RoleGrant> invite(String organizer, String email, Optional<UUID> eventId) {
    return change(pool, INVITE, organizer, "invite", true,
        Tuple.tuple().addValue(TimeOrderedIds.next()).addValue(email).addValue(eventId.orElse(null)))
        .recover(failure -> failure instanceof PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState())
            ? Future.failedFuture(new Refusal.AlreadyGranted(email + " is on your team for this already"))
            : Future.failedFuture(failure))
        .compose(changed -> one(changed, "No event " + eventId.map(UUID::toString).orElse("") + " of yours"));
  }

  /** The invitee signed in: their invitations become active grants. */
  public Future<List<RoleGrant>> accept(String email) {
    return change(pool, ACCEPT, email, "accept", true, Tuple.tuple());
  }

  /** The organizer revokes a member of their door staff, invited or active. */
  public Future<RoleGrant> revokeStaff(String organizer, UUID grantId) {
    return change(pool, REVOKE_STAFF, organizer, "revoke", true, Tuple.tuple().addValue(grantId))
        .compose(changed -> one(changed, "No member " + grantId + " of your team"));
  }

  /**
   * Grants the configuration's organizers and door staff (all events of their organizer) to those who never had such
   * a grant: a later revocation is a row, so a restart does not undo it. Returns how many grants were made.
   */
  public Future<Integer> bootstrap(Set<String> organizers, Map<String, Set<String>> doorStaff) {
    return pool.withTransaction(tx -> tx.query(BOOTSTRAP_LOCK).execute().compose(locked -> {
      List<Future<List<RoleGrant>>> made = new ArrayList<>();
      organizers.forEach(email -> made.add(change(tx, BOOTSTRAP_ORGANIZER, "configuration", "bootstrap", true,
          Tuple.tuple().addValue(TimeOrderedIds.next()).addValue(email))));
      doorStaff.forEach((staff, served) -> served.forEach(organizer -> made.add(change(tx, BOOTSTRAP_STAFF,
          "configuration", "bootstrap", true,
          Tuple.tuple().addValue(TimeOrderedIds.next()).addValue(staff).addValue(organizer)))));
      return Future.all(made).map(all -> made.stream().mapToInt(each -> each.result().size()).sum());
    }));
  }

  /** The organizer's door staff, invited or active, oldest first. */
  public Future<List<RoleGrant>> team(String organizer) {
    return pool.preparedQuery(TEAM).execute(Tuple.of(organizer)).map(RoleStore::grants);
  }

  /** Requests waiting for an administrator, then the active organizers. */
  public Future<List<RoleGrant>> organizerGrants() {
    return pool.preparedQuery(ORGANIZER_GRANTS).execute().map(RoleStore::grants);
  }

  /** Every grant of {@code email}, newest first: their request and their invitations. */
  public Future<List<RoleGrant>> grantsOf(String email) {
    return pool.preparedQuery(GRANTS_OF).execute(Tuple.of(email)).map(RoleStore::grants);
  }

  /** The latest audit rows of the organizer's team, newest first. */
  public Future<List<RoleAuditEntry>> teamAudit(String organizer, int limit) {
    return pool.preparedQuery(TEAM_AUDIT).execute(Tuple.of(organizer, limit)).map(RoleStore::audit);
  }

  /** The latest audit rows of organizer grants, newest first. */
  public Future<List<RoleAuditEntry>> organizerAudit(int limit) {
    return pool.preparedQuery(ORGANIZER_AUDIT).execute(Tuple.of(limit)).map(RoleStore::audit);
  }

  /** Runs a change statement: {@code $1} the actor, {@code $2} the audit action, {@code $3} whether to bump. */
  private static Future<List<RoleGrant>> change(SqlClient client, String sql, String actor, String action,
                                                boolean changesActive, Tuple rest) {
    Tuple values = Tuple.tuple().addValue(actor).addValue(action).addValue(changesActive);
    for (int i = 0; i < rest.size(); i++) {
      values.addValue(rest.getValue(i));
    }
    return client.preparedQuery(sql).execute(values).map(RoleStore::grants);
  }

  private static Future<RoleGrant> one(List<RoleGrant> changed, String notFound) {
    return changed.isEmpty() ? Future.failedFuture(new Refusal.NotFound(notFound))
        : Future.succeededFuture(changed.getFirst());
  }

  private static List<RoleGrant> grants(RowSet<Row> rows) {
    List<RoleGrant> grants = new ArrayList<>();
    rows.forEach(row -> grants.add(new RoleGrant(row.getUUID("id"), row.getString("email"), row.getString("role"),
        Optional.ofNullable(row.getString("organizer_email")), Optional.ofNullable(row.getUUID("event_id")),
        Optional.ofNullable(row.getString("event_title")), row.getString("state"), row.getString("created_by"),
        row.getOffsetDateTime("created_at").toInstant(), row.getOffsetDateTime("changed_at").toInstant())));
    return grants;
  }

  private static List<RoleAuditEntry> audit(RowSet<Row> rows) {
    List<RoleAuditEntry> entries = new ArrayList<>();
    rows.forEach(row -> entries.add(new RoleAuditEntry(row.getLong("id"), row.getOffsetDateTime("at").toInstant(),
        row.getString("actor"), row.getString("action"), row.getUUID("grant_id"), row.getString("email"),
        row.getString("role"), Optional.ofNullable(row.getString("organizer_email")),
        Optional.ofNullable(row.getUUID("event_id")))));
    return entries;
  }
}
