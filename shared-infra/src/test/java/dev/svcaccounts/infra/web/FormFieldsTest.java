package dev.svcaccounts.infra.web;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class FormFieldsTest {

    private static byte[] bytes(int length) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte) 'a');
        bytes[length - 1] = 'z';
        return bytes;
    }

    private static byte[] body(byte[] sent, long declared) throws IOException {
        return FormFields.body(new ByteArrayInputStream(sent), declared);
    }

    @Test
    void theBody_asSent_whateverTheDeclaredLength() throws IOException {
        byte[] form = "token=abc&token_type_hint=access_token".getBytes();
        for (long declared : new long[]{form.length, -1, 0, 5, form.length - 1, form.length + 10, 1L << 40}) {
            assertThat(body(form, declared)).as("declared %d", declared).isEqualTo(form);
        }
        assertThat(body(new byte[0], 0)).isEmpty();
        assertThat(body(new byte[0], -1)).isEmpty();
    }

    @Test
    void aBodyTooLarge_isCutOneBytePastTheLimit_declaredOrNot() throws IOException {
        byte[] large = bytes(FormFields.MAX_BYTES + 100);
        byte[] expected = Arrays.copyOf(large, FormFields.MAX_BYTES + 1);
        assertThat(body(large, -1)).isEqualTo(expected);
        assertThat(body(large, large.length)).isEqualTo(expected);
        assertThat(body(large, 10)).isEqualTo(expected);
        assertThat(body(large, FormFields.MAX_BYTES)).isEqualTo(expected);
        byte[] atLimit = bytes(FormFields.MAX_BYTES);
        assertThat(body(atLimit, FormFields.MAX_BYTES)).isEqualTo(atLimit);
        assertThat(body(atLimit, -1)).isEqualTo(atLimit);
    }
}
