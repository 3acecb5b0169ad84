package dev.svcaccounts.command.common;

/**
 * A command that no principal sends, so it carries no token for the Workspace aggregate's working-token check: a
 * leaked-token report (anyone holding a secret may end it) or a token exchange (the actor is a verified JWT). Each such
 * command's rules decide on their own who may have it done.
 */
public interface WithoutPrincipal {
}
