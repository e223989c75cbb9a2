package dev.boxoffice.backend.web;

import dev.boxoffice.backend.auth.Principal;
import dev.boxoffice.backend.model.RoleAuditEntry;
import dev.boxoffice.backend.model.RoleGrant;
import dev.boxoffice.backend.team.TeamService;
import dev.boxoffice.codecs.session.Role;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * Roles in the application: the caller's own ({@code /me}), a request to organize, the administrators' decisions and
 * an organizer's door staff, each change with its audit trail.
 */
public final class TeamHandlers {

  private final TeamService team;

  public TeamHandlers(TeamService team) {
    this.team = team;
  }

  void getMe(RoutingContext ctx) {
    team.me(Sessions.principal(ctx).email())
        .onSuccess(me -> Replies.json(ctx, 200, me(me)))
        .onFailure(ctx::fail);
  }

  /** What the frontend calls at sign-in and on each page load: pending invitations become active grants. */
  void signedIn(RoutingContext ctx) {
    team.signedIn(Sessions.principal(ctx))
        .onSuccess(principal -> Replies.json(ctx, 200, roles(principal)))
        .onFailure(ctx::fail);
  }

  void requestOrganizer(RoutingContext ctx) {
    team.requestOrganizer(Sessions.principal(ctx))
        .onSuccess(grant -> Replies.json(ctx, 201, grant(grant)))
        .onFailure(ctx::fail);
  }

  void listOrganizerGrants(RoutingContext ctx) {
    team.organizerGrants()
        .onSuccess(grants -> Replies.json(ctx, 200, items(grants, TeamHandlers::grant)))
        .onFailure(ctx::fail);
  }

  void approveOrganizer(RoutingContext ctx) {
    UUID grantId = Inputs.pathId(ctx, "grantId");
    team.approve(Sessions.principal(ctx), grantId)
        .onSuccess(grant -> Replies.json(ctx, 200, grant(grant)))
        .onFailure(ctx::fail);
  }

  void refuseOrganizer(RoutingContext ctx) {
    UUID grantId = Inputs.pathId(ctx, "grantId");
    team.refuse(Sessions.principal(ctx), grantId)
        .onSuccess(grant -> Replies.json(ctx, 200, grant(grant)))
        .onFailure(ctx::fail);
  }

  void revokeOrganizer(RoutingContext ctx) {
    UUID grantId = Inputs.pathId(ctx, "grantId");
    team.revokeOrganizer(Sessions.principal(ctx), grantId)
        .onSuccess(grant -> Replies.json(ctx, 200, grant(grant)))
        .onFailure(ctx::fail);
  }

  void listOrganizerAudit(RoutingContext ctx) {
    team.organizerAudit()
        .onSuccess(entries -> Replies.json(ctx, 200, items(entries, TeamHandlers::auditEntry)))
        .onFailure(ctx::fail);
  }

  void listTeam(RoutingContext ctx) {
    team.team(Sessions.principal(ctx))
        .onSuccess(grants -> Replies.json(ctx, 200, items(grants, TeamHandlers::grant)))
        .onFailure(ctx::fail);
  }

  void inviteStaff(RoutingContext ctx) {
    JsonObject body = Inputs.body(ctx);
    String email = Inputs.email(body.getString("email"), "email");
    Optional<UUID> eventId = Optional.ofNullable(body.getString("eventId")).map(TeamHandlers::eventId);
    team.invite(Sessions.principal(ctx), email, eventId)
        .onSuccess(grant -> Replies.json(ctx, 201, grant(grant)))
        .onFailure(ctx::fail);
  }

  void revokeStaff(RoutingContext ctx) {
    UUID grantId = Inputs.pathId(ctx, "grantId");
    team.revokeStaff(Sessions.principal(ctx), grantId)
        .onSuccess(grant -> Replies.json(ctx, 200, grant(grant)))
        .onFailure(ctx::fail);
  }

  void listTeamAudit(RoutingContext ctx) {
    team.teamAudit(Sessions.principal(ctx))
        .onSuccess(entries -> Replies.json(ctx, 200, items(entries, TeamHandlers::auditEntry)))
        .onFailure(ctx::fail);
  }

  private static UUID eventId(String value) {
    try {
      return UUID.fromString(value);
    } catch (IllegalArgumentException e) {
      throw new BadInput("eventId", "eventId must be a UUID");
    }
  }

  private static JsonObject me(TeamService.Me me) {
    return roles(me.principal()).put("grants", new JsonArray(me.grants().stream().map(TeamHandlers::grant).toList()));
  }

  private static JsonObject roles(Principal principal) {
    return new JsonObject()
        .put("email", principal.email())
        .put("roles", new JsonArray(principal.roles().stream().map(Role::claimValue).sorted().toList()));
  }

  private static <T> JsonObject items(List<T> items, Function<T, JsonObject> representation) {
    return new JsonObject().put("items", new JsonArray(items.stream().map(representation).toList()));
  }

  private static JsonObject grant(RoleGrant grant) {
    JsonObject json = new JsonObject()
        .put("id", grant.id().toString())
        .put("email", grant.email())
        .put("role", grant.role())
        .put("state", grant.state())
        .put("createdBy", grant.createdBy())
        .put("createdAt", grant.createdAt().toString())
        .put("changedAt", grant.changedAt().toString());
    grant.organizerEmail().ifPresent(organizer -> json.put("organizerEmail", organizer));
    grant.eventId().ifPresent(event -> json.put("eventId", event.toString()));
    grant.eventTitle().ifPresent(title -> json.put("eventTitle", title));
    return json;
  }

  private static JsonObject auditEntry(RoleAuditEntry entry) {
    JsonObject json = new JsonObject()
        .put("at", entry.at().toString())
        .put("actor", entry.actor())
        .put("action", entry.action())
        .put("grantId", entry.grantId().toString())
        .put("email", entry.email())
        .put("role", entry.role());
    entry.organizerEmail().ifPresent(organizer -> json.put("organizerEmail", organizer));
    entry.eventId().ifPresent(event -> json.put("eventId", event.toString()));
    return json;
  }
}
