package io.mhaserverless.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mhaserverless.node.protocol.AgentCredentials;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialsTest {

    @Test
    void aCredentialsFileWinsOverTheEnvironment(@TempDir Path dir) {
        Path f = Servers.credentialsFile(dir, "app", "s3cret");
        assertThat(Credentials.resolve(f, Map.of("MHA_USER", "env", "MHA_PASSWORD", "x"))).isEqualTo(new AgentCredentials("app", "s3cret"));
        assertThat(Credentials.resolve(null, Map.of("MHA_USER", "env", "MHA_PASSWORD", "x"))).isEqualTo(new AgentCredentials("env", "x"));
        assertThat(Credentials.resolve(null, Map.of("MHA_USER", "env"))).isEqualTo(new AgentCredentials("env", ""));
    }

    @Test
    void missingCredentialsAreAnErrorThatSaysWhereToPutThem(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> Credentials.resolve(null, Map.of())).hasMessageContaining("--credentials-file").hasMessageContaining("MHA_USER");
        assertThatThrownBy(() -> Credentials.resolve(dir.resolve("none"), Map.of())).hasMessageContaining(dir.resolve("none").toString());
        Path noUser = Files.writeString(dir.resolve("nouser"), "password=x\n");
        assertThatThrownBy(() -> Credentials.resolve(noUser, Map.of())).hasMessageContaining("no user=");
    }

    @Test
    void thePasswordIsNeverInTheTextOfCredentials() {
        assertThat(new AgentCredentials("app", "s3cret").toString()).doesNotContain("s3cret");
    }

    @Test
    void theClientOptionFileIsPrivateQuotesEverythingAndIsDeleted() throws Exception {
        Path path;
        try (ClientOptionFile f = new ClientOptionFile(new AgentCredentials("app", "a\"b\\c #d'e"))) {
            path = f.path();
            assertThat(Files.getPosixFilePermissions(path)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
            assertThat(Files.readString(path)).isEqualTo("[client]\nuser=\"app\"\npassword=\"a\\\"b\\\\c #d'e\"\n");
            assertThat(f.option()).isEqualTo("--defaults-extra-file=" + path);
        }
        assertThat(path).doesNotExist();
    }
}
