package dev.svcaccounts.infra.web;

import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Our request ids: version-4 UUIDs as {@link UUID#randomUUID()} gives, made without a {@code SecureRandom} call per
 * request (which takes a lock shared by every request thread and cost about 2% of an introspection's CPU). Each id is
 * a counter encrypted with AES under a key drawn from {@code SecureRandom} when the process starts: AES is a
 * permutation, so a process never repeats an id (but for the 6 version and variant bits, as likely to collide as two
 * random UUIDs), and without the key the ids cannot be told from random ones nor predicted from those seen before.
 */
final class RequestIdSource {

    private static final AtomicLong COUNTER = new AtomicLong();
    private static final SecretKeySpec KEY = key();
    private static final ThreadLocal<Cipher> CIPHER = ThreadLocal.withInitial(RequestIdSource::cipher);

    private RequestIdSource() {
    }

    static String next() {
        long count = COUNTER.getAndIncrement();
        byte[] block = new byte[16];
        for (int i = 0; i < 8; i++) {
            block[15 - i] = (byte) (count >>> (8 * i));
        }
        try {
            CIPHER.get().doFinal(block, 0, 16, block, 0);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES is part of every Java runtime", e);
        }
        long high = 0;
        long low = 0;
        for (int i = 0; i < 8; i++) {
            high = high << 8 | (block[i] & 0xff);
            low = low << 8 | (block[8 + i] & 0xff);
        }
        high = high & ~0xF000L | 0x4000L; // version 4
        low = low & 0x3FFF_FFFF_FFFF_FFFFL | 0x8000_0000_0000_0000L; // IETF variant
        return new UUID(high, low).toString();
    }

    private static SecretKeySpec key() {
        byte[] key = new byte[16];
        new SecureRandom().nextBytes(key);
        return new SecretKeySpec(key, "AES");
    }

    private static Cipher cipher() {
        try {
            Cipher cipher = Cipher.getInstance("AES/ECB/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, KEY);
            return cipher;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES is part of every Java runtime", e);
        }
    }
}
