package dev.boxoffice.backend.store;

import dev.boxoffice.backend.model.OfflineScanResult;
import dev.boxoffice.backend.model.OfflineScanResult.Outcome;
import dev.boxoffice.backend.model.Ticket;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Records the scans an offline door synced, in one transaction, and decides each under its ticket's row lock, as
 * {@link PurchaseBatch} decides purchases: only there can two doors' batches about one ticket not interleave.
 *
 * <p>The rule: a ticket's first entry is its earliest scan, wherever and whenever that scan reaches the server. A
 * scan of a ticket never let in admits it; a scan earlier than the ticket's first entry becomes the first (the
 * ticket's {@code checked_in_at} moves back to it) and the former first becomes a duplicate; any other scan is a
 * duplicate; a scan of a cancelled ticket is recorded as such. A scan id already recorded for the same ticket is a
 * replay, whatever its time says (an online check-in records the server's time, the door queued its own): it
 * answers what is recorded and writes nothing, so a door may send a batch again after losing the answer.
 *
 * <p>Lock order: the tickets' rows by id, the order every batch takes them in, so two batches never deadlock; an online
 * check-in locks one ticket row only.
 */
public final class OfflineScanBatch {

  static final String LOCK_TICKETS = "SELECT id, event_id, ticket_type_id, status, checked_in_at FROM tickets"
      + " WHERE id = ANY($1) ORDER BY id FOR UPDATE";
  static final String KNOWN_SCANS = "SELECT id, ticket_id, outcome FROM door_scans WHERE id = ANY($1)";
  static final String FIRST_SCANS = "SELECT ticket_id, id FROM door_scans"
      + " WHERE ticket_id = ANY($1) AND outcome = 'first'";
  private static final String DEMOTE = "UPDATE door_scans SET outcome = 'duplicate' WHERE id = ANY($1)";
  private static final String INSERT_SCANS = "INSERT INTO door_scans"
      + " (id, ticket_id, event_id, scanned_at, scanned_by, door, offline, outcome)"
      + " SELECT s.id, s.ticket_id, $3, s.scanned_at, $4, $5, true, s.outcome"
      + " FROM unnest($1::uuid[], $2::uuid[], $6::timestamptz[], $7::text[]) AS s(id, ticket_id, scanned_at, outcome)";
  private static final String ADMIT = "UPDATE tickets k SET status = 'checked_in', checked_in_at = f.first_at"
      + " FROM unnest($1::uuid[], $2::timestamptz[]) AS f(id, first_at) WHERE k.id = f.id";

  /** A scan whose token the domain verified: a ticket of the batch's event, in its window when it was scanned. */
  public record VerifiedScan(UUID scanId, UUID ticketId, UUID ticketTypeId, Instant scannedAt) {
  }

  /** Who synced, from which door, for which event. */
  public record Door(UUID eventId, String scannedBy, Optional<String> name) {
  }

  private final Pool pool;

  public OfflineScanBatch(Pool pool) {
    this.pool = pool;
  }

  /** The result of each scan, by scan id. */
  public Future<Map<UUID, OfflineScanResult>> record(Door door, List<VerifiedScan> scans) {
    if (scans.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    return pool.withTransaction(conn -> new Decision(conn, door, scans).run());
  }

  /** One batch's reads, decisions and writes, on its transaction's connection. */
  private static final class Decision {
    private final SqlConnection conn;
    private final Door door;
    private final List<VerifiedScan> scans;
    private final Map<UUID, TicketState> tickets = new HashMap<>();
    private final Map<UUID, OfflineScanResult> results = new LinkedHashMap<>();
    private final Map<UUID, NewScan> inserted = new LinkedHashMap<>();
    private final List<UUID> demoted = new ArrayList<>();

    Decision(SqlConnection conn, Door door, List<VerifiedScan> scans) {
      this.conn = conn;
      this.door = door;
      this.scans = scans;
    }

    Future<Map<UUID, OfflineScanResult>> run() {
      UUID[] ticketIds = scans.stream().map(VerifiedScan::ticketId).distinct().sorted().toArray(UUID[]::new);
      UUID[] scanIds = scans.stream().map(VerifiedScan::scanId).toArray(UUID[]::new);
      Tuple ofTickets = Tuple.tuple().addValue(ticketIds);
      return conn.preparedQuery(LOCK_TICKETS).execute(ofTickets)
          .compose(locked -> conn.preparedQuery(FIRST_SCANS).execute(ofTickets)
              .compose(firsts -> conn.preparedQuery(KNOWN_SCANS).execute(Tuple.tuple().addValue(scanIds))
                  .map(known -> decide(locked, firsts, known))))
          .compose(decided -> write())
          .map(written -> results);
    }

    private Void decide(RowSet<Row> locked, RowSet<Row> firsts, RowSet<Row> known) {
      locked.forEach(row -> tickets.put(row.getUUID("id"), new TicketState(row)));
      firsts.forEach(row -> tickets.get(row.getUUID("ticket_id")).firstScanId = row.getUUID("id"));
      Map<UUID, Row> recorded = new HashMap<>();
      known.forEach(row -> recorded.put(row.getUUID("id"), row));
      List<VerifiedScan> fresh = new ArrayList<>();
      for (VerifiedScan scan : scans) {
        Row replayed = recorded.get(scan.scanId());
        if (replayed == null) {
          fresh.add(scan);
        } else if (replayed.getUUID("ticket_id").equals(scan.ticketId())) {
          results.put(scan.scanId(), replay(scan, replayed));
        } else {
          results.put(scan.scanId(), OfflineScanResult.rejected(scan.scanId(), "scan_id_reused",
              "This scan id was recorded for another scan; each scan needs an id of its own"));
        }
      }
      fresh.sort(Comparator.comparing(VerifiedScan::scannedAt).thenComparing(VerifiedScan::scanId));
      fresh.forEach(this::admit);
      for (NewScan scan : inserted.values()) {
        results.put(scan.scan.scanId(), OfflineScanResult.recorded(scan.scan.scanId(), scan.outcome,
            scan.scan.ticketId(), tickets.get(scan.scan.ticketId()).firstAt));
      }
      return null;
    }

    private OfflineScanResult replay(VerifiedScan scan, Row recorded) {
      Outcome outcome = switch (recorded.getString("outcome")) {
        case "first" -> Outcome.ADMITTED;
        default -> Outcome.valueOf(recorded.getString("outcome").toUpperCase(Locale.ROOT));
      };
      TicketState ticket = tickets.get(scan.ticketId());
      Instant firstAt = ticket == null ? null : ticket.firstAt;
      return OfflineScanResult.recorded(scan.scanId(), outcome, scan.ticketId(), firstAt);
    }

    private void admit(VerifiedScan scan) {
      TicketState ticket = tickets.get(scan.ticketId());
      if (ticket == null || !ticket.eventId.equals(door.eventId()) || !ticket.typeId.equals(scan.ticketTypeId())) {
        results.put(scan.scanId(), OfflineScanResult.rejected(scan.scanId(), "invalid_ticket",
            "No ticket of this event matches this token"));
        return;
      }
      if (ticket.status == Ticket.Status.CANCELLED) {
        inserted.put(scan.scanId(), new NewScan(scan, Outcome.CANCELLED));
        return;
      }
      if (ticket.firstAt != null && !scan.scannedAt().isBefore(ticket.firstAt)) {
        inserted.put(scan.scanId(), new NewScan(scan, Outcome.DUPLICATE));
        return;
      }
      if (ticket.firstScanId != null) {
        NewScan formerFirstInBatch = inserted.get(ticket.firstScanId);
        if (formerFirstInBatch != null) {
          formerFirstInBatch.outcome = Outcome.DUPLICATE;
        } else {
          demoted.add(ticket.firstScanId);
        }
      }
      ticket.firstAt = scan.scannedAt();
      ticket.firstScanId = scan.scanId();
      ticket.admitted = true;
      inserted.put(scan.scanId(), new NewScan(scan, Outcome.ADMITTED));
    }

    /** Demotions first: a ticket has one first scan at any time (a unique index says so). */
    private Future<Void> write() {
      Future<?> demote = demoted.isEmpty() ? Future.succeededFuture()
          : conn.preparedQuery(DEMOTE).execute(Tuple.tuple().addValue(demoted.toArray(UUID[]::new)));
      return demote.compose(done -> inserted.isEmpty() ? Future.succeededFuture() : insertScans())
          .compose(done -> admitTickets());
    }

    private Future<?> insertScans() {
      List<NewScan> rows = List.copyOf(inserted.values());
      // Arrays go in one by one: Tuple.of would spread a trailing array over its varargs.
      return conn.preparedQuery(INSERT_SCANS).execute(Tuple.tuple()
          .addValue(rows.stream().map(row -> row.scan.scanId()).toArray(UUID[]::new))
          .addValue(rows.stream().map(row -> row.scan.ticketId()).toArray(UUID[]::new))
          .addValue(door.eventId())
          .addValue(door.scannedBy())
          .addValue(door.name().orElse(null))
          .addValue(rows.stream().map(row -> row.scan.scannedAt().atOffset(ZoneOffset.UTC))
              .toArray(OffsetDateTime[]::new))
          .addValue(rows.stream().map(row -> row.outcome == Outcome.ADMITTED ? "first"
              : row.outcome.name().toLowerCase(Locale.ROOT)).toArray(String[]::new)));
    }

    private Future<Void> admitTickets() {
      List<TicketState> admitted = tickets.values().stream().filter(ticket -> ticket.admitted).toList();
      if (admitted.isEmpty()) {
        return Future.succeededFuture();
      }
      return conn.preparedQuery(ADMIT).execute(Tuple.tuple()
              .addValue(admitted.stream().map(ticket -> ticket.id).toArray(UUID[]::new))
              .addValue(admitted.stream().map(ticket -> ticket.firstAt.atOffset(ZoneOffset.UTC))
                  .toArray(OffsetDateTime[]::new)))
          .mapEmpty();
    }
  }

  /** A locked ticket as the batch's decisions change it. */
  private static final class TicketState {
    private final UUID id;
    private final UUID eventId;
    private final UUID typeId;
    private final Ticket.Status status;
    private Instant firstAt;
    private UUID firstScanId;
    private boolean admitted;

    TicketState(Row row) {
      id = row.getUUID("id");
      eventId = row.getUUID("event_id");
      typeId = row.getUUID("ticket_type_id");
      status = Ticket.Status.of(row.getString("status"));
      firstAt = OrderRows.instant(row.getOffsetDateTime("checked_in_at"));
    }
  }

  /** A scan this batch records, with the outcome the batch has given it so far. */
  private static final class NewScan {
    private final VerifiedScan scan;
    private Outcome outcome;

    NewScan(VerifiedScan scan, Outcome outcome) {
      this.scan = scan;
      this.outcome = outcome;
    }
  }
}
