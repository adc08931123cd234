package io.mhaserverless.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** What {@code mha --help} shows, and what the CLI's logging prints (nothing) when the AWS SDK starts. */
class HelpTest {

    private static List<CommandLine> all(CommandLine cmd) {
        List<CommandLine> out = new ArrayList<>();
        for (CommandLine sub : cmd.getSubcommands().values()) {
            if (!out.contains(sub)) {
                out.add(sub);
                out.addAll(all(sub));
            }
        }
        return out;
    }

    @Test
    void everyCommandsSummaryIsOneFullSentence() {
        List<CommandLine> commands = all(Mha.commandLine());
        assertThat(commands).extracting(CommandLine::getCommandName)
                .contains("check-repl", "manager", "status", "failover", "switchover", "ack", "history", "import-cnf", "config",
                        "show", "add-server", "remove-server");
        for (CommandLine c : commands) {
            String[] description = c.getCommandSpec().usageMessage().description();
            assertThat(description).as(c.getCommandName()).isNotEmpty();
            String summary = description[0];
            assertThat(summary).as(c.getCommandName())
                    .matches("[A-Z][^%]*\\.")            // a capital, a full stop, one line
                    .hasSizeLessThanOrEqualTo(100)       // fits the command list beside the name at 120 columns
                    .doesNotContain(". ");              // one sentence
        }
    }

    @Test
    void theCommandListShowsEachSummaryWhole() {
        CliRun help = CliRun.of("--help");
        assertThat(help.exit()).isZero();
        String commands = help.out().substring(help.out().indexOf("Commands:"));
        for (CommandLine c : all(Mha.commandLine())) {
            if (Mha.commandLine().getSubcommands().containsKey(c.getCommandName())) {
                String summary = c.getCommandSpec().usageMessage().description()[0];
                // picocli wraps a long summary onto the next line: joined, it is the whole sentence
                assertThat(commands.replaceAll("\\s+", " ")).as(c.getCommandName()).contains(summary);
            }
        }
    }

    @Test
    void slf4jHasAProviderSoItPrintsNoWarning() {
        assertThat(ServiceLoader.load(org.slf4j.spi.SLF4JServiceProvider.class).stream().toList())
                .as("an SLF4J provider on the runtime classpath (slf4j-nop)").isNotEmpty();
    }
}
