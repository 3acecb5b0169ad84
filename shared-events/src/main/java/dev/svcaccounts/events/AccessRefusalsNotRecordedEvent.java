package dev.svcaccounts.events;

import java.time.Instant;
import java.util.Map;

/**
 * Refused attempts that were counted but not each recorded as an {@link AccessRefusedEvent}: a node records at most
 * {@code limit} refusals per principal (403) or token (401) of a workspace in each window, and sums up the rest in
 * one of these when the window ends. So flooding the trail with refusals cannot hide how many there were. Who tried
 * is in the metadata, as for {@link AccessRefusedEvent}; like it, it is appended on its own, outside the Workspace
 * aggregate's stream, and changes no state.
 *
 * @param principal   who was refused (a token's owner for a 401)
 * @param tokenId     the token refused (401s are counted per token); for 403s, counted per principal, the token
 *                    the principal used, or null if it used several
 * @param count       refusals not recorded in the window
 * @param limit       refusals recorded in the window before these (they are in the trail as access.refused)
 * @param windowStart when the window began (the key's first refusal on that node)
 * @param windowEnd   when it ended
 * @param rules       how many of the refusals not recorded each rule refused (problem code or token rule)
 */
@EventRevision("1")
public record AccessRefusalsNotRecordedEvent(String workspaceId, PrincipalRef principal, String tokenId, int count,
                                             int limit, Instant windowStart, Instant windowEnd,
                                             Map<String, Integer> rules) implements WorkspaceEvent {
}
