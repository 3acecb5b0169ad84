package dev.svcaccounts.query.member;

import dev.svcaccounts.query.PrincipalView;

import java.time.Instant;

/** A current member: {@code role} is its workspace role, admin or member. */
record MemberView(String username, String role, Instant addedAt, PrincipalView addedBy) {
}
