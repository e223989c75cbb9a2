package dev.boxoffice.backend.web;

import dev.boxoffice.backend.model.SessionRevocation;
import dev.boxoffice.backend.sessions.SessionService;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Signing out: this session, every session of the caller, or every session of someone the caller may sign out. */
public final class SessionHandlers {

  private final SessionService sessions;

  public SessionHandlers(SessionService sessions) {
    this.sessions = sessions;
  }

  /** What the frontend's "Sign out" calls before it forgets the token. */
  void signOut(RoutingContext ctx) {
    sessions.signOut(Sessions.principal(ctx), Sessions.token(ctx))
        .onSuccess(revocation -> ctx.response().setStatusCode(204).putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
            .end())
        .onFailure(ctx::fail);
  }

  void signOutEverywhere(RoutingContext ctx) {
    sessions.signOutEverywhere(Sessions.principal(ctx), Sessions.principal(ctx).email())
        .onSuccess(revocation -> Replies.json(ctx, 200, revocation(revocation)))
        .onFailure(ctx::fail);
  }

  /** An administrator, or an organizer for their door staff, signs a person out everywhere. */
  void revokeSessions(RoutingContext ctx) {
    String email = Inputs.email(Inputs.body(ctx).getString("email"), "email");
    sessions.signOutEverywhere(Sessions.principal(ctx), email)
        .onSuccess(revocation -> Replies.json(ctx, 201, revocation(revocation)))
        .onFailure(ctx::fail);
  }

  private static JsonObject revocation(SessionRevocation revocation) {
    return new JsonObject()
        .put("email", revocation.email())
        .put("revokedAt", revocation.revokedAt().toString());
  }
}
