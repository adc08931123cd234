package io.mhaserverless.infra;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import software.amazon.awscdk.App;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.StageSynthesisOptions;
import software.amazon.awscdk.assertions.Template;

/** Synthesizes the stack for tests; each synth costs about a second once jsii runs, so test classes synth once. */
final class TestStacks {

    static final RepoLayout REPO = RepoLayout.fromWorkingDirectory();
    static final String STACK = "MhaServerlessTest";

    private static Path functionsJar;

    private TestStacks() {
    }

    /** The real definition and, when it was built, the real Lambda jar. */
    static MhaServerlessProps props() {
        return props(REPO.stateMachineDefinition());
    }

    static final String VPC = "vpc-0a1b2c3d4e5f60718";
    static final List<String> SUBNETS = List.of("subnet-0a1b2c3d4e5f60718", "subnet-0b1b2c3d4e5f60718");
    static final String SECURITY_GROUP = "sg-0a1b2c3d4e5f60718";

    /** Every option on: the servers' VPC with all endpoints, a reserved writer IP, a report address. */
    static MhaServerlessProps inVpcProps() {
        return props()
                .withNetwork(new PrivateNetwork(VPC, SUBNETS, SECURITY_GROUP)
                        .withEndpoints(PrivateNetwork.ENDPOINT_SERVICES, List.of("rtb-0a1b2c3d4e5f60718")))
                .withWriterIpReservation(WriterIpReservation.byStack(
                        List.of(new WriterIpReservation.WriterIp(SUBNETS.get(0), "10.0.1.50"))))
                .withReportEmail("dba@example.com")
                .withClusters(List.of("app1", "app2"));
    }

    static MhaServerlessProps props(String definition) {
        return MhaServerlessProps.of(functionsJar(), definition);
    }

    static Template synth(MhaServerlessProps props) {
        return Template.fromStack(new MhaServerlessStack(app(), STACK, StackProps.builder().build(), props));
    }

    /** The template as `cdk synth --no-validation` would write it: for checking what validation would refuse. */
    static Template synthWithoutValidation(MhaServerlessProps props) {
        App app = app();
        new MhaServerlessStack(app, STACK, StackProps.builder().build(), props);
        Object template = app.synth(StageSynthesisOptions.builder().skipValidation(true).build())
                .getStackByName(STACK).getTemplate();
        return Template.fromJSON(cast(template));
    }

    /** Templates come back as nested maps and lists of Object. */
    @SuppressWarnings("unchecked")
    static <T> T cast(Object value) {
        return (T) value;
    }

    static App app() {
        // Tests read templates only: no need to copy the 40 MB Lambda jar into every cloud assembly.
        return App.Builder.create().context(Map.of("aws:cdk:disable-asset-staging", true)).build();
    }

    /**
     * The Lambda jar the app would deploy when the functions module was packaged, else a
     * placeholder: these tests check the stack, not the jar.
     */
    static synchronized Path functionsJar() {
        if (functionsJar == null) {
            try {
                functionsJar = REPO.functionsJar();
            } catch (IllegalStateException notBuilt) {
                functionsJar = placeholderJar();
            }
        }
        return functionsJar;
    }

    private static Path placeholderJar() {
        try {
            Path jar = Files.createTempFile("mha-functions-placeholder", ".jar");
            jar.toFile().deleteOnExit();
            Manifest manifest = new Manifest();
            manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
            try (OutputStream out = Files.newOutputStream(jar)) {
                new JarOutputStream(out, manifest).close();
            }
            return jar;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
