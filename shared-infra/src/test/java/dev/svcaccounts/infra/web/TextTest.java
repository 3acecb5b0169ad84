package dev.svcaccounts.infra.web;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TextTest {

    @Test
    void visibleText_isRefusedWithWhitespaceAtEitherEnd_orInvisibleCharacters() {
        for (String ok : List.of("a", "ci pipeline", "Jörg's bot", "rocket \uD83D\uDE80", "ｄｅｐｌｏｙ", "a\u00a0b")) {
            assertThat(ok.matches(Text.VISIBLE_TEXT)).as(ok).isTrue();
        }
        for (String refused : List.of("", " ", " a", "a ", "\u3000a", "a\u00a0", "\ta", "a\nb", "a\u200bb",
                "a\u202eb", "a\u2028b", "\ud800", "a\udc00")) {
            assertThat(refused.matches(Text.VISIBLE_TEXT)).as(Text.printable(refused)).isFalse();
        }
        assertThat("".matches(Text.OPTIONAL_TEXT)).isTrue();
        assertThat("  ".matches(Text.OPTIONAL_TEXT)).isFalse();
    }

    @Test
    void unpairedSurrogates_areFound() {
        assertThat(Text.unpairedSurrogate("rocket \uD83D\uDE80")).isEqualTo(-1);
        assertThat(Text.unpairedSurrogate("a\ud800")).isEqualTo(1);
        assertThat(Text.unpairedSurrogate("\udc00\ud800\udc00")).isEqualTo(0);
        assertThat(Text.unpairedSurrogate("\uD83D\uDE80\ud83d")).isEqualTo(2);
    }

    @Test
    void textForAMessage_showsWhatCannotBeShown_andIsBounded() {
        assertThat(Text.printable("a\u0000b\u200b\ud800\uD83D\uDE80")).isEqualTo("a\\u0000b\\u200b\\ud800\uD83D\uDE80");
        assertThat(Text.forMessage("x".repeat(500))).hasSize(103).endsWith("...");
    }
}
