package dev.svcaccounts.command.federation.jwt;

/** An issuer's key set could not be had; the message says why in a few words ("timeout"), for a refusal. */
class JwksFetchException extends Exception {

    JwksFetchException(String reason) {
        super(reason, null, false, false);
    }
}
