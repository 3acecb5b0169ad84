package dev.svcaccounts.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CommandMixTest {

    private static final String LISTING = """
            {"project":"churn","visibility":"private","items":[
              {"principal":{"type":"user","id":"alice","name":"alice"},"role":"owner","grants":[],"status":"active"},
              {"principal":{"type":"service_account","id":"sa-1","name":"ci"},
               "role":"viewer","grants":[],"status":"active"}]}
            """;

    @Test
    void aRoleChangeIsVisibleOnlyOnceTheListingShowsTheNewRole() {
        assertThat(CommandMix.showsRole(reply(200, LISTING), "sa-1", "viewer")).isTrue();
        assertThat(CommandMix.showsRole(reply(200, LISTING), "sa-1", "owner")).isFalse(); // still the old role
        assertThat(CommandMix.showsRole(reply(200, LISTING), "sa-2", "viewer")).isFalse(); // not listed yet
        assertThat(CommandMix.showsRole(reply(404, "{}"), "sa-1", "viewer")).isFalse();
    }

    @Test
    void aUserWithTheSameIdIsNotTheServiceAccount() {
        assertThat(CommandMix.showsRole(reply(200, LISTING), "alice", "owner")).isFalse();
    }

    @Test
    void eachKindAloneRunsAsAPhaseOfItsOwn_theMixKeepsItsName() {
        assertThat(CommandMix.Focus.MIX.phase()).isEqualTo("commands");
        assertThat(CommandMix.Focus.ACCOUNTS.phase()).isEqualTo("commands_accounts");
        assertThat(CommandMix.Focus.TOKENS.phase()).isEqualTo("commands_tokens");
        assertThat(CommandMix.Focus.ROLES.phase()).isEqualTo("commands_roles");
    }

    private static Http.Reply reply(int status, String body) {
        return new Http.Reply(status, body, 0, 1);
    }
}
