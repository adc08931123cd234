package io.mhaserverless.cli.mhacnf;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Every parameter MHA 0.58 accepts has a fate here, and the README's "Moving from MHA" table says it. */
class MhaParameterTest {

    /** Config.pm's @PARAM_ARRAY in MHA 0.58 (mha4mysql-manager abe11f9): the names, as facts. */
    private static final Set<String> MHA_058 = Set.of("hostname", "ip", "port", "ssh_host", "ssh_ip", "ssh_port",
            "ssh_connection_timeout", "ssh_options", "node_label", "candidate_master", "no_master", "ignore_fail",
            "skip_init_ssh_check", "skip_reset_slave", "user", "password", "repl_user", "repl_password", "disable_log_bin",
            "master_pid_file", "handle_raw_binlog", "ssh_user", "remote_workdir", "master_binlog_dir", "log_level",
            "manager_workdir", "manager_log", "check_repl_delay", "check_repl_filter", "latest_priority", "multi_tier_slave",
            "ping_interval", "ping_type", "secondary_check_script", "master_ip_failover_script",
            "master_ip_online_change_script", "shutdown_script", "report_script", "init_conf_load_script", "client_bindir",
            "client_libdir", "use_gtid_auto_pos");

    @Test
    void everyMhaParameterAndNoOther() {
        assertThat(Arrays.stream(MhaParameter.values()).map(MhaParameter::key).collect(Collectors.toSet())).isEqualTo(MHA_058);
    }

    @Test
    void theReadmeTableHasARowForEachWithItsFate() throws IOException {
        String readme = Files.readString(Path.of("../README.md"));
        String section = readme.substring(readme.indexOf("## Moving from MHA"), readme.indexOf("## Watching it"));
        for (MhaParameter p : MhaParameter.values()) {
            String fate = switch (p.handling()) {
                case MAPPED -> "mapped";
                case NOT_NEEDED -> "not needed";
                case NOT_SUPPORTED -> "not supported";
            };
            assertThat(section).as(p.key()).contains("| `" + p.key() + "` | " + fate + " | ");
        }
    }
}
