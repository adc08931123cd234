package io.mhaserverless.cli;

import io.mhaserverless.cli.mhacnf.CnfImport;
import io.mhaserverless.cli.mhacnf.MhaIni;
import io.mhaserverless.core.config.ConfigException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** From MHA: an app1.cnf (and masterha_default.cnf) becomes our cluster config. */
@Command(name = "import-cnf",
        mixinStandardHelpOptions = true,
        description = {"Converts an MHA app file and its global defaults file into a cluster config.",
                "Every MHA parameter is either written into the YAML or named on stderr, one line each, as not needed "
                        + "or not supported with what replaces it. Passwords never reach the YAML: it names Secrets Manager "
                        + "secrets, and the command prints how to create them without a password on any command line."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:imported", "2:bad input: the error names the file, line and key"})
public final class ImportCnfCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "APP_CNF", description = "MHA's application config, e.g. /etc/masterha/app1.cnf")
    Path appCnf;

    @Option(names = "--defaults", paramLabel = "FILE",
            description = "MHA's global defaults file (masterha_manager's --global_conf), read first")
    Path defaults;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "where to write the YAML (default: stdout)")
    Path output;

    @Option(names = "--cluster", paramLabel = "NAME", description = "the cluster's name (default: APP_CNF's name without .cnf)")
    String cluster;

    @Option(names = "--writer-ip", paramLabel = "ADDRESS",
            description = "the writer's IP that master_ip_failover_script moved; becomes writerIp {mode: eni}")
    String writerIp;

    @Option(names = "--secret-prefix", paramLabel = "PREFIX", defaultValue = "mha",
            description = "secrets are named PREFIX/CLUSTER/admin and PREFIX/CLUSTER/replication (default: ${DEFAULT-VALUE})")
    String secretPrefix;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        String name = cluster != null ? cluster : appCnf.getFileName().toString().replaceFirst("\\.cnf$", "");
        CnfImport.Result result = CnfImport.convert(MhaIni.read(appCnf), Optional.ofNullable(defaults).map(MhaIni::read),
                new CnfImport.Options(name, Optional.ofNullable(writerIp), secretPrefix));
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        result.notices().forEach(err::println);
        PrintWriter guide = err;
        if (output != null) {
            try {
                Files.writeString(output, result.yaml());
            } catch (IOException e) {
                throw new ConfigException(output + ": cannot write: " + e.getMessage(), e);
            }
            out.println("wrote " + output + " (cluster " + result.config().cluster() + ", " + result.config().servers().size()
                    + " servers)");
            guide = out;
        } else {
            out.print(result.yaml());
            out.flush();
        }
        for (CnfImport.Secret s : result.secrets()) {
            // read -s and printf are shell builtins: the password is in no process's argv and in no shell history
            guide.println("Create secret " + s.name() + " with the " + s.mhaKey() + " of " + s.user() + " (typed, not echoed):");
            guide.println("  read -rs PW && printf '{\"username\":\"%s\",\"password\":\"%s\"}' '" + s.user()
                    + "' \"$PW\" | aws secretsmanager create-secret --name " + s.name()
                    + " --secret-string file:///dev/stdin; unset PW");
        }
        guide.flush();
        return ExitCodes.OK;
    }
}
